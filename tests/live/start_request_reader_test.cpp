#include <catch2/catch.hpp>

#include "live/start_request_reader.hpp"

using namespace stampede::live;

namespace {

http_request json_body(const std::string& body) { return {"POST", "/api/swarm", {}, body, "application/json"}; }

}  // namespace

TEST_CASE("a start reads from JSON: each field as a flag, none left out given a value", "[start_request]") {
    auto s = read_start_request(json_body(
        R"({"users": 40, "spawn_rate": 2.5, "run_time": "1m30s", "profile": "", "tags": ["core", "chat"], "user_classes": ["A"]})"));
    REQUIRE(s);
    CHECK(s->users == 40);
    CHECK(s->spawn_rate == 2.5);
    CHECK(s->run_time == std::chrono::seconds(90));
    CHECK(s->profile == "");  // the scenario's own load
    CHECK(s->tags == std::vector<std::string>{"core", "chat"});
    CHECK_FALSE(s->exclude_tags);  // the command line's
    CHECK(s->classes == std::vector<std::string>{"A"});
    s = read_start_request(json_body(R"({"profile": "ramp", "users": null})"));
    REQUIRE(s);
    CHECK_FALSE(s->users);
    CHECK_FALSE(s->spawn_rate);
    CHECK(s->profile == "ramp");
}

TEST_CASE("a start reads from a form as Locust's page posts it, lists as a,b", "[start_request]") {
    auto s = read_start_request({"POST", "/api/swarm", {}, "user_count=7&spawn_rate=3&tags=a%2Cb&exclude_tags=", "application/x-www-form-urlencoded"});
    REQUIRE(s);
    CHECK(s->users == 7);
    CHECK(s->tags == std::vector<std::string>{"a", "b"});
    REQUIRE(s->exclude_tags);
    CHECK(s->exclude_tags->empty());  // given empty: no task is excluded
}

TEST_CASE("a start's bad fields are refused naming the field", "[start_request]") {
    auto why = [](const std::string& body) {
        auto s = read_start_request(json_body(body));
        return s ? std::string("accepted") : s.error();
    };
    CHECK(why("[1]") == "the body is not a JSON object");
    CHECK(why(R"({"users": -1})") == "'users' must be a number from 0 to 10000000");
    CHECK(why(R"({"users": 2.5})") == "'users' must be a whole number");
    CHECK(why(R"({"spawn_rate": "fast"})") == "'spawn_rate' must be a number from 0.001 to 1000000");
    CHECK(why(R"({"run_time": "0s"})") == "'run_time' is a duration such as 90s, 10m or 1h30m: got '0s'");
    CHECK(why(R"({"profile": true})") == "'profile' is a number, a text or a list of names");
    CHECK(why(R"({"tags": [3]})") == "'tags' is a list of names");
    CHECK(why(R"({"tags": [""]})") == "'tags': a name is 1 to 200 bytes");
    CHECK(why(R"({"profile": ")" + std::string(201, 'p') + R"("})") == "'profile' is at most 200 bytes");
    std::string many = R"({"user_classes": [)";
    for (int i = 0; i < 1001; ++i) many += std::string(i ? "," : "") + "\"c\"";
    CHECK(why(many + "]}") == "'user_classes' names more than 1000");
}

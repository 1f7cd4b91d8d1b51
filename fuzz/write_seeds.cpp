// Writes the seed corpus that fuzz/corpus holds for the targets whose inputs are binary or
// framed: histograms, worker messages, HTTP responses, REST requests and WebSocket frames, made with the same
// code that makes them for real. The text targets' seeds (scenarios, templates, JSON) are
// written by hand.
//   fuzz_write_seeds DIRECTORY      # writes DIRECTORY/NAME/seed-N
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "proto/message_codec.hpp"
#include "proto/protocol.hpp"
#include "proto/snapshot_codec.hpp"
#include "stampede/v1/cluster.pb.h"
#include "stats/histogram_codec.hpp"
#include "stats/stats_delta.hpp"

using namespace stampede;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& dir, const std::string& name, const std::vector<std::string>& seeds) {
    fs::create_directories(dir / name);
    for (std::size_t i = 0; i < seeds.size(); ++i)
        std::ofstream(dir / name / ("seed-" + std::to_string(i + 1)), std::ios::binary) << seeds[i];
}

std::vector<std::string> histograms() {
    std::vector<std::string> out;
    stats::histogram h;
    out.push_back(stats::encode_histogram(h));
    h.record(1000);
    out.push_back(stats::encode_histogram(h));
    for (std::uint64_t v = 1; v < 5'000'000; v = v * 3 + 7) h.record(v, v % 5 + 1);
    out.push_back(stats::encode_histogram(h));
    h.record(std::uint64_t{1} << 40);  // past the trackable range: clamped
    out.push_back(stats::encode_histogram(h));
    return out;
}

// One operation of the worker_messages target: what, on which stream, and its bytes.
std::string op(int what, int stream, const std::string& bytes = {}) {
    std::string out;
    out.push_back(static_cast<char>(what | (stream << 4)));
    out.push_back(static_cast<char>(bytes.size() & 0xff));
    out.push_back(static_cast<char>((bytes.size() >> 8) & 0xff));
    return out + bytes;
}

std::string message(const v1::WorkerMessage& m) { return m.SerializeAsString(); }

std::string state(v1::StateChange::State s, std::uint64_t last = 0) {
    v1::WorkerMessage m;
    m.mutable_state()->set_state(s);
    m.mutable_state()->set_last_sequence(last);
    return message(m);
}

std::string snapshot(std::uint64_t sequence, int requests) {
    stats::stats_delta d(3, 2, 2);
    for (int i = 0; i < requests; ++i) d.endpoints[static_cast<std::size_t>(i % 3)].record(800 + 97 * i, 120, i % 4 == 0);
    d.checks[1].passed = 3;
    d.checks[1].failed = 1;
    d.classes[0].iterations = 4;
    d.classes[0].start_lag.record(250, 4);
    d.add_error({0, stats::error_kind::http_status, 503}, "503 Service Unavailable");
    v1::WorkerMessage m;
    wire::encode_snapshot(d, sequence, *m.mutable_snapshot());
    m.mutable_snapshot()->mutable_heartbeat()->set_users(2);
    return message(m);
}

std::vector<std::string> worker_messages() {
    v1::Hello hello;
    hello.set_protocol_version(wire::protocol_version);
    hello.set_stampede_version(STAMPEDE_VERSION);
    hello.set_worker_id("w-raw");
    hello.set_name("raw");
    hello.set_threads(2);
    hello.set_token("secret");
    hello.set_master_timeout_ms(3000);
    v1::WorkerMessage heartbeat;
    heartbeat.mutable_heartbeat()->set_users(2);
    heartbeat.mutable_heartbeat()->set_rss_bytes(1 << 20);
    v1::WorkerMessage goodbye;
    goodbye.mutable_goodbye()->set_reason("done");

    std::vector<std::string> out;
    out.push_back(op(1, 0) + op(4, 0, state(v1::StateChange::READY)) + op(3, 0, "ab") + op(4, 0, snapshot(1, 5)) +
                  op(4, 0, snapshot(2, 9)) + op(4, 0, message(heartbeat)) + op(4, 0, state(v1::StateChange::STOPPED, 2)));
    out.push_back(op(0, 0, hello.SerializeAsString()) + op(1, 1) + op(4, 0, state(v1::StateChange::READY)) +
                  op(4, 1, state(v1::StateChange::READY)) + op(3, 0, "abc") + op(4, 1, snapshot(1, 4)) +
                  op(4, 1, snapshot(1, 4)) + op(2, 1) + op(1, 1) + op(4, 1, snapshot(3, 2)) + op(4, 0, message(goodbye)));
    out.push_back(op(1, 0) + op(4, 0, state(v1::StateChange::FAILED)) + op(4, 0, snapshot(7, 1)));
    return out;
}

std::vector<std::string> http_responses() {
    const std::string no_splits(2, '\0');  // no splits, not a HEAD request
    return {
        no_splits + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: application/json\r\n\r\n{\"a\"}",
        no_splits + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n3;x=y\r\nefg\r\n0\r\nTrailer: t\r\n\r\n",
        no_splits + "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nthe body ends with the connection",
        no_splits + "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
        no_splits + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n",
        std::string("\x03\x01\x05\x10\x00", 5) + "HTTP/1.0 301 Moved\r\nLocation: /x\r\nContent-Length: 3\r\n\r\nabc",
        std::string("\x00\x01", 2) + "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n",
    };
}

std::vector<std::string> rest_requests() {
    const std::string no_splits(1, '\0');
    const std::string json = R"({"user_count": 10, "spawn_rate": 2.5, "run_time": "30s", "tags": ["smoke"]})";
    const std::string form = "user_count=5&spawn_rate=1&host=&profile=ramp&user_classes=chat&user_classes=state";
    return {
        no_splits + "POST /api/swarm HTTP/1.1\r\nHost: m\r\nContent-Type: application/json\r\nContent-Length: " +
            std::to_string(json.size()) + "\r\n\r\n" + json,
        no_splits + "POST /swarm HTTP/1.1\r\nHost: m\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
            std::to_string(form.size()) + "\r\n\r\n" + form,
        no_splits + "GET /api/stats?since=3&x=%41%2&y=a+b HTTP/1.1\r\nHost: m\r\n\r\n",
        std::string("\x02\x07\x20", 3) + "POST /api/swarm HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"use\r\n0\r\n\r\n",
    };
}

// A frame from the server (not masked): FIN and opcode, then the length as RFC 6455 writes it.
std::string frame(std::uint8_t first, const std::string& payload) {
    std::string out(1, static_cast<char>(first));
    const auto n = payload.size();
    if (n < 126) {
        out.push_back(static_cast<char>(n));
    } else if (n < 65536) {
        out.push_back(126);
        out.push_back(static_cast<char>(n >> 8));
        out.push_back(static_cast<char>(n & 0xff));
    } else {
        out.push_back(127);
        for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xff));
    }
    return out + payload;
}

std::vector<std::string> websocket_frames() {
    const std::string whole_reads("\xff\x00", 2), small_reads("\x02\x01", 2);  // read size, extras
    const std::string close_normal = frame(0x88, std::string("\x03\xe8", 2) + "bye");
    const std::string four_gib("\x82\x7f\x00\x00\x00\x01\x00\x00\x00\x00", 10);
    return {
        whole_reads + frame(0x81, R"({"text": "hello"})") + frame(0x82, std::string("\x00\x01\xff", 3)) + close_normal,
        small_reads + frame(0x01, "hel") + frame(0x89, "ping") + frame(0x80, "lo") + frame(0x8a, "") + close_normal,
        whole_reads + frame(0x81, std::string(300, 'x')) + frame(0x81, "\xc3\xa9 \xff invalid") ,
        whole_reads + four_gib + "abc",
    };
}

// The master_messages target's input: each message length-prefixed.
std::string framed(const wire::master_message& message) {
    v1::MasterMessage m;
    wire::encode(message, m);
    const auto bytes = m.SerializeAsString();
    std::string out;
    out.push_back(static_cast<char>(bytes.size() & 0xff));
    out.push_back(static_cast<char>((bytes.size() >> 8) & 0xff));
    return out + bytes;
}

std::vector<std::string> master_messages() {
    auto plan = std::make_shared<lang::run_plan>();
    plan->scenario_path = "s.yaml";
    plan->scenario_yaml =
        "host: http://127.0.0.1:8080\n"
        "user_classes:\n"
        "  - name: reader\n"
        "    wait_time: {between: [1s, 2s]}\n"
        "    tasks: [{name: items, path: \"/items/{{ data.items.id }}\"}]\n"
        "  - name: open\n"
        "    arrival_rate: {rate: 5, max_users: 20}\n"
        "    tasks: [{path: /ok}]\n"
        "data: {items: items.csv}\n";
    plan->files["items.csv"] = "id\n1\n2\n";
    plan->overrides.users = 4;
    plan->seed = 7;
    const wire::welcome welcome{"run-1", plan, 3, 1000, 1000, 5000, 1, true};
    const wire::assignment ramp{{3, 1, 0}, 2.5, 0.5, 0, 2, 0};
    const wire::assignment huge{{INT_MAX, INT_MAX, INT_MAX}, 1e300, -1, 7, 2, UINT64_MAX};
    return {
        framed(welcome) + framed(ramp) + framed(wire::stop{2000}) + framed(wire::quit{"the run is over"}),
        framed(wire::ack{5}) + framed(wire::ping{}) + framed(huge),
        framed(wire::refusal{"a worker with this id is connected"}),
    };
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: " << argv[0] << " DIRECTORY\n";
        return 2;
    }
    const fs::path dir = argv[1];
    write(dir, "histogram_codec", histograms());
    write(dir, "worker_messages", worker_messages());
    write(dir, "master_messages", master_messages());
    write(dir, "http_response", http_responses());
    write(dir, "rest_request", rest_requests());
    write(dir, "websocket_frames", websocket_frames());
    return 0;
}

#include "watch/series_query.hpp"

#include <charconv>

namespace stampede::watch {

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A problem `offset` bytes into the selector, noted for the caller that places it.
struct problem_at {
    std::size_t* where;
    common::failure operator()(std::size_t offset, const std::string& what) const {
        if (where) *where = offset;
        return common::fail(what);
    }
};

// A selector's text, read left to right.
class selector_reader {
public:
    selector_reader(std::string_view text, std::size_t* error_at) : text_(text), at{error_at} {}

    common::result<series_query> read() {
        series_query q;
        skip_blanks();
        const auto name_at = at_;
        while (at_ < text_.size() && (is_alpha(text_[at_]) || is_digit(text_[at_]) || text_[at_] == '_' || text_[at_] == ':'))
            ++at_;
        q.metric = std::string(text_.substr(name_at, at_ - name_at));
        if (q.metric.empty() || is_digit(q.metric.front())) return at(name_at, "expected a metric name");
        skip_blanks();
        if (at_ < text_.size() && text_[at_] == '{')
            if (auto ok = read_matchers(q); !ok) return ok.why();
        skip_blanks();
        if (at_ != text_.size()) return at(at_, "expected the end of the selector");
        return q;
    }

private:
    void skip_blanks() {
        while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t')) ++at_;
    }

    common::status read_matchers(series_query& q) {
        ++at_;
        for (;;) {
            skip_blanks();
            if (at_ == text_.size()) return at(at_, "the labels are not closed with '}'");
            if (text_[at_] == '}') {
                ++at_;
                return {};
            }
            label_matcher m;
            const auto name_at = at_;
            while (at_ < text_.size() && (is_alpha(text_[at_]) || is_digit(text_[at_]) || text_[at_] == '_')) ++at_;
            m.name = std::string(text_.substr(name_at, at_ - name_at));
            if (m.name.empty() || is_digit(m.name.front())) return at(name_at, "expected a label name");
            skip_blanks();
            if (text_.substr(at_, 2) == "!=") {
                m.equal = false;
                at_ += 2;
            } else if (text_.substr(at_, 2) == "=~" || text_.substr(at_, 2) == "!~") {
                return at(at_, "regular-expression matchers (=~, !~) are not supported: name each value with = or !=");
            } else if (at_ < text_.size() && text_[at_] == '=') {
                ++at_;
            } else {
                return at(at_, "expected '=' or '!=' after a label name");
            }
            skip_blanks();
            if (auto ok = read_value(m.value); !ok) return ok;
            q.labels.push_back(std::move(m));
            skip_blanks();
            if (at_ < text_.size() && text_[at_] == ',') ++at_;
            else if (at_ == text_.size() || text_[at_] != '}') return at(at_, "expected ',' or '}' after a label");
        }
    }

    // A double-quoted value; \\ and \" stand for themselves, \n for a line break.
    common::status read_value(std::string& out) {
        if (at_ == text_.size() || text_[at_] != '"') return at(at_, "expected '\"' to open a label value");
        const auto open_at = at_++;
        for (; at_ < text_.size() && text_[at_] != '"'; ++at_) {
            if (text_[at_] == '\\' && at_ + 1 < text_.size()) {
                ++at_;
                out.push_back(text_[at_] == 'n' ? '\n' : text_[at_]);
            } else {
                out.push_back(text_[at_]);
            }
        }
        if (at_ == text_.size()) return at(open_at, "a label value is not closed with '\"'");
        ++at_;
        return {};
    }

    std::string_view text_;
    std::size_t at_ = 0;
    problem_at at;
};

}  // namespace

common::result<series_query> parse_selector(std::string_view text, std::size_t* error_at) {
    return selector_reader(text, error_at).read();
}

common::status parse_reading(std::string_view text, series_query& query) {
    if (text == "value") query.read = reading::value;
    else if (text == "rate") query.read = reading::rate;
    else if (text == "avg" || text == "average") query.read = reading::average;
    else if (text.size() > 1 && text.front() == 'p') {
        double percentile = 0;
        const auto digits = text.substr(1);
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), percentile);
        if (ec != std::errc() || end != digits.data() + digits.size() || !(percentile > 0 && percentile < 100))
            return common::fail("'" + std::string(text) + "': a percentile is p followed by a number between 0 and 100, as p95");
        query.read = reading::quantile;
        query.quantile = percentile / 100;
    } else {
        return common::fail("'" + std::string(text) + "' is no way to read a series: value, rate, avg, or a percentile as p95");
    }
    return {};
}

}  // namespace stampede::watch

#include "watch/exposition_reader.hpp"

#include "common/utf8.hpp"

#include <charconv>
#include <deque>
#include <limits>
#include <unordered_map>

namespace stampede::watch {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool metric_start(char c) { return is_alpha(c) || c == '_' || c == ':'; }
bool metric_char(char c) { return metric_start(c) || is_digit(c); }
bool label_start(char c) { return is_alpha(c) || c == '_'; }
bool label_char(char c) { return label_start(c) || is_digit(c); }

metric_type type_named(std::string_view word) {
    if (word == "counter") return metric_type::counter;
    if (word == "gauge") return metric_type::gauge;
    if (word == "histogram" || word == "gaugehistogram") return metric_type::histogram;
    if (word == "summary") return metric_type::summary;
    return metric_type::untyped;  // untyped, OpenMetrics' unknown, info, stateset
}

// Whether a sample named `suffix` after its family's name belongs to a family of `type`.
bool suffix_fits(metric_type type, std::string_view suffix) {
    switch (type) {
        case metric_type::histogram: return suffix == "_bucket" || suffix == "_sum" || suffix == "_count" || suffix == "_created";
        case metric_type::summary: return suffix == "_sum" || suffix == "_count" || suffix == "_created";
        case metric_type::counter: return suffix == "_total" || suffix == "_created";
        default: return false;
    }
}

// A number as Prometheus writes one: a decimal or exponent form, NaN, or an infinity with or
// without its sign, in any case.
bool parse_value(std::string_view token, double& out) {
    if (token.empty()) return false;
    bool negative = false;
    if (token.front() == '+' || token.front() == '-') {
        negative = token.front() == '-';
        token.remove_prefix(1);
        if (token.empty() || token.front() == '+' || token.front() == '-') return false;
    }
    const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), out);
    if (ec != std::errc() || end != token.data() + token.size()) {
        // Past the range of a double: an infinity, as Go's parser makes it.
        if (ec != std::errc::result_out_of_range || end != token.data() + token.size()) return false;
        out = std::numeric_limits<double>::infinity();
    }
    if (negative) out = -out;
    return true;
}

class reader {
public:
    reader(std::string_view text, const exposition_limits& limits, const std::function<void(const exposition_sample&)>& each)
        : text_(text), limits_(limits), each_(each) {}

    common::status run() {
        if (text_.size() > limits_.max_bytes)
            return common::fail(std::to_string(text_.size()) + " bytes, more than the " + std::to_string(limits_.max_bytes) +
                                " read of one answer");
        for (std::size_t pos = 0; pos < text_.size() && !ended_;) {
            ++line_number_;
            auto end = text_.find('\n', pos);
            if (end == std::string_view::npos) end = text_.size();
            line_ = text_.substr(pos, end - pos);
            pos = end + 1;
            if (line_.size() > limits_.max_line)
                return problem(1, "a line of " + std::to_string(line_.size()) + " bytes, more than " +
                                      std::to_string(limits_.max_line));
            if (!line_.empty() && line_.back() == '\r') line_.remove_suffix(1);
            if (auto ok = read_line(); !ok) return ok;
        }
        return {};
    }

private:
    common::status problem(std::size_t column, const std::string& what) const {
        return common::fail("line " + std::to_string(line_number_) + ", column " + std::to_string(column) + ": " + what);
    }
    std::size_t column() const { return at_ + 1; }
    void skip_blanks() {
        while (at_ < line_.size() && is_blank(line_[at_])) ++at_;
    }
    std::string_view token() {
        const auto from = at_;
        while (at_ < line_.size() && !is_blank(line_[at_])) ++at_;
        return line_.substr(from, at_ - from);
    }

    common::status read_line() {
        at_ = 0;
        skip_blanks();
        if (at_ == line_.size()) return {};
        if (line_[at_] == '#') return read_comment();
        return read_sample();
    }

    // `# TYPE name type` names a family's type; `# HELP` and other comments say nothing read;
    // OpenMetrics' `# EOF` ends the text.
    common::status read_comment() {
        ++at_;
        skip_blanks();
        const auto word = token();
        if (word == "EOF") {
            ended_ = true;
            return {};
        }
        if (word != "TYPE") return {};
        skip_blanks();
        const auto name_at = at_;
        const auto name = token();
        if (name.empty() || !metric_start(name.front()))
            return problem(name_at + 1, "a TYPE line without a metric name");
        for (char c : name)
            if (!metric_char(c)) return problem(name_at + 1, "a TYPE line's metric name holds a character names may not");
        skip_blanks();
        types_[name] = type_named(token());
        return {};
    }

    common::status read_sample() {
        if (++samples_ > limits_.max_samples)
            return problem(1, "more than " + std::to_string(limits_.max_samples) + " samples in one answer");
        sample_.labels.clear();
        escaped_.clear();
        const auto name_at = at_;
        if (!metric_start(line_[at_])) return problem(column(), "expected a metric name");
        while (at_ < line_.size() && metric_char(line_[at_])) ++at_;
        sample_.name = line_.substr(name_at, at_ - name_at);
        skip_blanks();
        if (at_ < line_.size() && line_[at_] == '{')
            if (auto ok = read_labels(); !ok) return ok;
        skip_blanks();
        const auto value_at = at_;
        if (!parse_value(token(), sample_.value)) return problem(value_at + 1, "expected a number after the metric and its labels");
        skip_blanks();
        if (at_ < line_.size() && line_[at_] != '#') {  // a timestamp; an exemplar (OpenMetrics) may follow
            const auto stamp_at = at_;
            double stamp = 0;
            if (!parse_value(token(), stamp)) return problem(stamp_at + 1, "expected a timestamp or the end of the line");
            skip_blanks();
            if (at_ < line_.size() && line_[at_] != '#') return problem(column(), "expected the end of the line");
        }
        classify();
        each_(sample_);
        return {};
    }

    // `{name="value",...}`, a trailing comma allowed; a value's \\, \" and \n unescaped.
    common::status read_labels() {
        ++at_;
        for (;;) {
            skip_blanks();
            if (at_ == line_.size()) return problem(column(), "the labels are not closed with '}'");
            if (line_[at_] == '}') {
                ++at_;
                return {};
            }
            if (!label_start(line_[at_])) return problem(column(), "expected a label name");
            const auto name_at = at_;
            while (at_ < line_.size() && label_char(line_[at_])) ++at_;
            const auto name = line_.substr(name_at, at_ - name_at);
            skip_blanks();
            if (at_ == line_.size() || line_[at_] != '=') return problem(column(), "expected '=' after a label name");
            ++at_;
            skip_blanks();
            if (at_ == line_.size() || line_[at_] != '"') return problem(column(), "expected '\"' to open a label value");
            std::string_view value;
            if (auto ok = read_quoted(value); !ok) return ok;
            if (sample_.labels.size() == limits_.max_labels)
                return problem(name_at + 1, "more than " + std::to_string(limits_.max_labels) + " labels on one sample");
            // A label twice on one sample says two things at once: which one a selector reads is undefined.
            for (const auto& [other, v] : sample_.labels)
                if (other == name)
                    return problem(name_at + 1, "label '" + common::shortened_utf8(name, 80) + "' twice on one sample");
            sample_.labels.emplace_back(name, value);
            skip_blanks();
            if (at_ < line_.size() && line_[at_] == ',') ++at_;
            else if (at_ == line_.size() || line_[at_] != '}') return problem(column(), "expected ',' or '}' after a label");
        }
    }

    common::status read_quoted(std::string_view& value) {
        const auto open_at = at_++;
        const auto from = at_;
        bool escapes = false;
        for (; at_ < line_.size() && line_[at_] != '"'; ++at_) {
            if (line_[at_] != '\\') continue;
            escapes = true;
            if (++at_ == line_.size()) break;
        }
        if (at_ == line_.size()) return problem(open_at + 1, "a label value is not closed with '\"'");
        value = line_.substr(from, at_ - from);
        ++at_;
        if (escapes) value = unescape(value);
        return {};
    }

    std::string_view unescape(std::string_view raw) {
        auto& out = escaped_.emplace_back();
        out.reserve(raw.size());
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] != '\\' || i + 1 == raw.size()) {
                out.push_back(raw[i]);
                continue;
            }
            const char next = raw[++i];
            out.push_back(next == 'n' ? '\n' : next);  // \\ and \" stand for themselves; so does any other
        }
        return out;
    }

    // The family the sample belongs to, by its TYPE line: its own name, or its name less a
    // suffix its family's type has (`_bucket`, `_sum`, `_count`, `_total`, `_created`).
    void classify() {
        if (const auto it = types_.find(sample_.name); it != types_.end()) {
            sample_.family = it->first;
            sample_.type = it->second;
            return;
        }
        for (std::string_view suffix : {"_bucket", "_sum", "_count", "_total", "_created"}) {
            if (!sample_.name.ends_with(suffix)) continue;
            const auto stem = sample_.name.substr(0, sample_.name.size() - suffix.size());
            if (const auto it = types_.find(stem); it != types_.end() && suffix_fits(it->second, suffix)) {
                sample_.family = it->first;
                sample_.type = it->second;
                return;
            }
        }
        sample_.family = sample_.name;
        sample_.type = metric_type::untyped;
    }

    std::string_view text_;
    const exposition_limits& limits_;
    const std::function<void(const exposition_sample&)>& each_;
    std::string_view line_;
    std::size_t line_number_ = 0;
    std::size_t at_ = 0;
    std::size_t samples_ = 0;
    bool ended_ = false;
    std::unordered_map<std::string_view, metric_type> types_;
    exposition_sample sample_;
    std::deque<std::string> escaped_;  // this sample's unescaped label values: stable addresses
};

}  // namespace

const std::string_view* exposition_sample::label(std::string_view name) const {
    for (const auto& [n, v] : labels)
        if (n == name) return &v;
    return nullptr;
}

common::status read_exposition(std::string_view text, const exposition_limits& limits,
                               const std::function<void(const exposition_sample&)>& each) {
    return reader(text, limits, each).run();
}

std::string_view to_string(metric_type type) {
    switch (type) {
        case metric_type::counter: return "counter";
        case metric_type::gauge: return "gauge";
        case metric_type::histogram: return "histogram";
        case metric_type::summary: return "summary";
        case metric_type::untyped: break;
    }
    return "untyped";
}

}  // namespace stampede::watch

#pragma once
// Server-Sent Events (text/event-stream) read as the WHATWG HTML standard says a browser reads
// them, from bytes in whatever pieces the network gives: lines ended by CRLF, LF or CR (a CR
// and its LF may come in two pieces), a byte-order mark at the start left out, comments (':')
// ignored, `event`, `data` (several lines joined by LF), `id` (kept for the events after it)
// and `retry`, and an event dispatched at a blank line when it has data. Unlike a browser it
// refuses what a load test should count as the server's failure rather than repair: a line that
// is not UTF-8, and an event (or a line) past its bound, so a stream never costs unbounded memory.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace stampede::worker {

struct sse_limits {
    std::size_t max_event_bytes = std::size_t{1} << 20;  // an event's data and fields together, and any one line
};

// An event as it is dispatched; its views last until the parser is fed again.
struct sse_event {
    std::string_view type;     // "message" unless an `event` field named it
    std::string_view data;     // the `data` lines joined by LF, the last LF left off
    std::string_view id;       // the last event id the stream set (it carries over)
    std::optional<std::uint32_t> retry_ms;  // a `retry` field in this event, when it had one
};

class sse_parser {
public:
    explicit sse_parser(sse_limits limits = {}) : limits_(limits) {}

    // The next piece of the stream; calls `each(const sse_event&)` for every event it completes,
    // in order. Stops at the first problem, which says what; the parser is then spent.
    template <class Each>
    common::status feed(std::string_view bytes, Each&& each);
    // Whether the stream's end would leave an event unfinished (fields with no blank line after:
    // a browser drops it; a test may count it as a stream cut short).
    bool pending() const { return (!line_.empty() && !line_taken_) || has_fields_; }
    std::size_t events() const { return events_; }

private:
    // A byte-order mark at the stream's start, left out (it may come split over pieces).
    void skip_mark(std::string_view& bytes);
    // The next whole line of `bytes`, its ending left off and consumed; none when `bytes` ends
    // within a line (kept for the next piece); why not, when a line is past its bound.
    common::result<std::optional<std::string_view>> next_line(std::string_view& bytes);
    // One whole line: a field of the event being built, or its end.
    common::status take_line(std::string_view line, bool& dispatch);
    sse_event current() const;
    void reset_event();

    sse_limits limits_;
    std::string line_;           // a line begun in an earlier piece
    bool after_cr_ = false;      // the last piece ended with CR: an LF at the next one's start belongs to it
    bool started_ = false;       // past the byte-order mark, if any
    std::size_t mark_matched_ = 0;  // bytes of a byte-order mark seen so far at the start
    bool line_taken_ = false;    // line_ was handed out whole: cleared before the next one
    bool has_fields_ = false;    // a field was read since the last dispatch
    std::string data_, type_, id_;
    std::optional<std::uint32_t> retry_ms_;
    std::size_t event_bytes_ = 0;
    std::size_t events_ = 0;
};

template <class Each>
common::status sse_parser::feed(std::string_view bytes, Each&& each) {
    skip_mark(bytes);
    for (;;) {
        auto line = next_line(bytes);
        if (!line) return line.why();
        if (!*line) return {};
        bool dispatch = false;
        if (auto ok = take_line(**line, dispatch); !ok) return ok;
        if (dispatch) {
            ++events_;
            each(current());
            reset_event();
        }
    }
}

}  // namespace stampede::worker

#pragma once
// An answer the demo target writes over time: Server-Sent Events written as chunks, each after
// its own wait, and what each carries (events, tokens) counted once it is written; or cut
// before its end (the connection closed mid-answer, as a failing model server does).
#include <chrono>
#include <string>
#include <vector>

namespace stampede::demo {

struct stream_piece {
    std::chrono::microseconds after{0};  // the wait before it is written
    std::string bytes;
    int events = 0, tokens = 0;          // what it carries
};

struct demo_stream {
    int status = 200;
    std::string body;  // a whole answer when `pieces` is empty, written after `delay`
    std::chrono::microseconds delay{0};
    std::vector<stream_piece> pieces;
    bool cut = false;  // the connection is closed after the last piece, the stream unfinished
};

}  // namespace stampede::demo

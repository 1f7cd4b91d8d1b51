#pragma once
// Text made safe for a terminal. A target's error message, a header, a worker's name or a
// value from a file can hold escape sequences that set the window title, write the clipboard
// (OSC 52), erase and rewrite a line ("FAKE: all thresholds passed"), or bidirectional
// overrides that show text in another order than it is. Everything Stampede writes to a console
// or a log passes through here: C0 controls but line feed and tab, DEL and C1 controls become
// `\u00XX`, bidirectional controls `\uXXXX` (both as JSON would write them), and bytes that are
// not UTF-8 `\xNN`; all other text is written as it is.
#include <string>
#include <string_view>

namespace stampede::common {

// An escaper for text that arrives in pieces (a stream): a character cut between two pieces is
// held until the rest comes.
class terminal_escaper {
public:
    // Appends the safe form of `piece` to `out`.
    void feed(std::string_view piece, std::string& out);
    // Appends what is held (an unfinished character, escaped as bytes).
    void finish(std::string& out);

private:
    std::string held_;
};

// The safe form of a whole text.
std::string terminal_safe(std::string_view text);

}  // namespace stampede::common

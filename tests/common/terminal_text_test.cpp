#include <catch2/catch.hpp>

#include "common/terminal_text.hpp"

using stampede::common::terminal_escaper;
using stampede::common::terminal_safe;

TEST_CASE("escape sequences, controls and bidirectional overrides are written as escapes") {
    // Window title, clipboard write (OSC 52), erase line and carriage return: a forged line.
    CHECK(terminal_safe("\x1b]0;TITLE\x07\x1b]52;c;aGk=\x07\x1b[2K\rFAKE: all thresholds passed") ==
          "\\u001B]0;TITLE\\u0007\\u001B]52;c;aGk=\\u0007\\u001B[2K\\u000DFAKE: all thresholds passed");
    CHECK(terminal_safe(std::string("a\0b\x7f", 4)) == "a\\u0000b\\u007F");
    CHECK(terminal_safe("\xC2\x9B" "31m") == "\\u009B31m");  // C1 CSI
    CHECK(terminal_safe("user\xE2\x80\xAEgnp.exe") == "user\\u202Egnp.exe");  // right-to-left override
    CHECK(terminal_safe("\xE2\x81\xA6x\xE2\x81\xA9") == "\\u2066x\\u2069");
    CHECK(terminal_safe("\x9b\xff") == "\\x9B\\xFF");  // not UTF-8: bytes
}

TEST_CASE("ordinary text, line feeds, tabs and other scripts pass as they are") {
    const std::string text = "p95 < 300ms\tok\nréponse 応答 🚀 — done";
    CHECK(terminal_safe(text) == text);
}

TEST_CASE("a character cut between two pieces of a stream is held until its end comes") {
    terminal_escaper e;
    std::string out;
    e.feed("caf\xC3", out);
    CHECK(out == "caf");
    e.feed("\xA9 \xE2\x80", out);
    CHECK(out == "café ");
    e.feed("\xAE!", out);
    CHECK(out == "café \\u202E!");
    e.feed("\xE2", out);
    e.finish(out);
    CHECK(out == "café \\u202E!\\xE2");
    // A character whose second byte has a narrower range than most (E0 wants A0-BF) is held too.
    out.clear();
    e.feed("\xE0", out);
    e.feed("\xBC\x9E", out);
    CHECK(out == "\xE0\xBC\x9E");
    e.feed("\xE0\x80", out);  // never a character: bytes
    e.finish(out);
    CHECK(out == "\xE0\xBC\x9E\\xE0\\x80");
    // A lead byte followed by one that cannot continue it is a byte of its own.
    out.clear();
    e.feed("\xC3", out);
    e.feed("A", out);
    CHECK(out == "\\xC3A");
}

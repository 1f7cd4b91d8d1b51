#pragma once
// Makes everything this process writes to its console safe for a terminal
// (common/terminal_text.hpp): std::cout and std::cerr pass through an escaping stream buffer,
// and the default logger's messages are escaped before its sink colours them. Called once,
// first thing in main, so that no text from a target, a worker or a file reaches the terminal
// raw, whichever part of the program writes it.
namespace stampede::cli {

void make_console_output_safe();

}  // namespace stampede::cli

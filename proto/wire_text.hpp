#pragma once
// Every message either end sends passes through here first: a protobuf `string` must hold
// valid UTF-8 or the whole message fails to encode, and a snapshot that cannot be encoded
// would take every count in it down with it. Texts whose exact bytes matter (the scenario,
// data files, environment values, the token, host and tags) travel as `bytes`; the rest are
// for people to read (names, reasons, error messages), and any invalid byte in them is
// replaced by U+FFFD here, so it stays visible and the message still goes.
#include <cstddef>

namespace google::protobuf {
class Message;
}

namespace stampede::wire {

// Repairs every `string` field of `message`, nested messages included. Returns how many
// fields it had to repair (0 for every message Stampede builds itself).
std::size_t repair_text_fields(google::protobuf::Message& message);

}  // namespace stampede::wire

#pragma once
// The version of the master-worker protocol (proto/stampede/v1/cluster.proto) both ends speak.
// Bump it on any change a peer of the previous version would misread; a master refuses a
// worker of another version, naming both.
#include <cstdint>

namespace stampede::wire {

inline constexpr std::uint32_t protocol_version = 3;

}  // namespace stampede::wire

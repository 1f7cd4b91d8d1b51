#include "proto/message_codec.hpp"

#include <algorithm>
#include <climits>

#include "common/overloaded.hpp"
#include "proto/run_plan_codec.hpp"
#include "proto/snapshot_codec.hpp"
#include "stampede/v1/cluster.pb.h"

namespace stampede::wire {

namespace {

void encode_heartbeat(const heartbeat& hb, v1::Heartbeat& out) {
    out.set_cpu_percent(hb.cpu_percent);
    out.set_rss_bytes(hb.rss_bytes);
    out.set_users(hb.users);
    out.set_last_sequence(hb.last_sequence);
    out.set_requests_counted(hb.requests_counted);
    out.set_merged_intervals(hb.merged_intervals);
}

heartbeat decode_heartbeat(const v1::Heartbeat& in) {
    return {in.cpu_percent(),   in.rss_bytes(),        in.users(),
            in.last_sequence(), in.requests_counted(), in.merged_intervals()};
}

void encode_hello(const hello& h, v1::Hello& out) {
    out.set_protocol_version(h.protocol_version);
    out.set_stampede_version(h.stampede_version);
    out.set_worker_id(h.worker_id);
    out.set_name(h.name);
    out.set_machine(h.machine);
    out.set_threads(h.threads);
    out.set_token(h.token);
    out.set_run_id(h.run_id);
    out.set_master_timeout_ms(h.master_timeout_ms);
}

hello decode_hello(const v1::Hello& in) {
    return {in.protocol_version(), in.stampede_version(), in.worker_id(), in.name(),
            in.machine(),          in.threads(),          in.token(),     in.run_id(),
            in.master_timeout_ms()};
}

v1::StateChange::State state_on_wire(worker_state_kind s) {
    switch (s) {
        case worker_state_kind::ready: return v1::StateChange::READY;
        case worker_state_kind::stopped: return v1::StateChange::STOPPED;
        case worker_state_kind::failed: return v1::StateChange::FAILED;
        case worker_state_kind::unknown: break;
    }
    return v1::StateChange::UNKNOWN;
}

state_change decode_state(const v1::StateChange& in) {
    state_change out;
    out.raw_state = static_cast<std::uint32_t>(in.state());
    switch (in.state()) {
        case v1::StateChange::READY: out.state = worker_state_kind::ready; break;
        case v1::StateChange::STOPPED: out.state = worker_state_kind::stopped; break;
        case v1::StateChange::FAILED: out.state = worker_state_kind::failed; break;
        default: out.state = worker_state_kind::unknown; break;
    }
    out.last_sequence = in.last_sequence();
    out.detail = in.detail();
    return out;
}

void encode_snapshot_message(const outgoing_snapshot& s, v1::Snapshot& out) {
    encode_snapshot(*s.delta, s.sequence, out);
    out.set_covered_until_ms(s.covered_until_ms);
    if (s.with_heartbeat) encode_heartbeat(*s.with_heartbeat, *out.mutable_heartbeat());
}

void encode_welcome(const welcome& w, v1::Welcome& out) {
    out.set_run_id(w.run_id);
    if (w.plan) encode_run_plan(*w.plan, *out.mutable_plan());
    out.set_acked_sequence(w.acked_sequence);
    out.set_snapshot_interval_ms(w.snapshot_interval_ms);
    out.set_heartbeat_interval_ms(w.heartbeat_interval_ms);
    out.set_master_timeout_ms(w.master_timeout_ms);
    out.set_plan_revision(w.plan_revision);
    out.set_token_required(w.token_required);
}

welcome decode_welcome(const v1::Welcome& in) {
    return {in.run_id(),
            std::make_shared<const lang::run_plan>(decode_run_plan(in.plan())),
            in.acked_sequence(),
            in.snapshot_interval_ms(),
            in.heartbeat_interval_ms(),
            in.master_timeout_ms(),
            in.plan_revision(),
            in.token_required()};
}

void encode_assignment(const assignment& a, v1::Assignment& out) {
    for (int n : a.users_per_class) out.add_users_per_class(static_cast<std::uint32_t>(std::max(0, n)));
    out.set_spawn_rate(a.spawn_rate);
    out.set_spawn_phase(a.spawn_phase);
    out.set_first_thread(a.first_thread);
    out.set_total_threads(a.total_threads);
    out.set_arrivals_elapsed_us(a.arrivals_elapsed_us);
}

// A count past INT_MAX is no count a master sends: held at INT_MAX rather than wrapped negative.
assignment decode_assignment(const v1::Assignment& in) {
    assignment out;
    for (auto n : in.users_per_class()) out.users_per_class.push_back(static_cast<int>(std::min<std::uint32_t>(n, INT_MAX)));
    out.spawn_rate = in.spawn_rate();
    out.spawn_phase = in.spawn_phase();
    out.first_thread = in.first_thread();
    out.total_threads = in.total_threads();
    out.arrivals_elapsed_us = in.arrivals_elapsed_us();
    return out;
}

}  // namespace

std::uint64_t received_snapshot::sequence() const { return message_->sequence(); }
std::int64_t received_snapshot::covered_until_ms() const { return message_->covered_until_ms(); }
std::optional<heartbeat> received_snapshot::carried_heartbeat() const {
    if (!message_->has_heartbeat()) return std::nullopt;
    return decode_heartbeat(message_->heartbeat());
}

void encode(const worker_outgoing& message, v1::WorkerMessage& out) {
    out.Clear();
    std::visit(common::overloaded{
                   [&](const hello& h) { encode_hello(h, *out.mutable_hello()); },
                   [&](const heartbeat& hb) { encode_heartbeat(hb, *out.mutable_heartbeat()); },
                   [&](const outgoing_snapshot& s) { encode_snapshot_message(s, *out.mutable_snapshot()); },
                   [&](const state_change& s) {
                       auto& state = *out.mutable_state();
                       state.set_state(state_on_wire(s.state));
                       state.set_last_sequence(s.last_sequence);
                       state.set_detail(s.detail);
                   },
                   [&](const goodbye& g) { out.mutable_goodbye()->set_reason(g.reason); },
               },
               message);
}

worker_message decode(const v1::WorkerMessage& in) {
    switch (in.kind_case()) {
        case v1::WorkerMessage::kHello: return decode_hello(in.hello());
        case v1::WorkerMessage::kHeartbeat: return decode_heartbeat(in.heartbeat());
        case v1::WorkerMessage::kSnapshot: return received_snapshot(in.snapshot());
        case v1::WorkerMessage::kState: return decode_state(in.state());
        case v1::WorkerMessage::kGoodbye: return goodbye{in.goodbye().reason()};
        default: return unknown_message{};
    }
}

void encode(const master_message& message, v1::MasterMessage& out) {
    out.Clear();
    std::visit(common::overloaded{
                   [&](const welcome& w) { encode_welcome(w, *out.mutable_welcome()); },
                   [&](const assignment& a) { encode_assignment(a, *out.mutable_assignment()); },
                   [&](const stop& s) { out.mutable_stop()->set_grace_ms(s.grace_ms); },
                   [&](const quit& q) { out.mutable_quit()->set_reason(q.reason); },
                   [&](const ack& a) { out.mutable_ack()->set_sequence(a.sequence); },
                   [&](const refusal& r) { out.mutable_refusal()->set_reason(r.reason); },
                   [&](const ping&) { out.mutable_ping(); },
                   [&](const unknown_message&) {},
               },
               message);
}

master_message decode(const v1::MasterMessage& in) {
    switch (in.kind_case()) {
        case v1::MasterMessage::kWelcome: return decode_welcome(in.welcome());
        case v1::MasterMessage::kAssignment: return decode_assignment(in.assignment());
        case v1::MasterMessage::kStop: return stop{in.stop().grace_ms()};
        case v1::MasterMessage::kQuit: return quit{in.quit().reason()};
        case v1::MasterMessage::kAck: return ack{in.ack().sequence()};
        case v1::MasterMessage::kRefusal: return refusal{in.refusal().reason()};
        case v1::MasterMessage::kPing: return ping{};
        default: return unknown_message{};
    }
}

}  // namespace stampede::wire

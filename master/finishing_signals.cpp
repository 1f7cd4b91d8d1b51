#include "master/finishing_signals.hpp"

#include <unistd.h>

#include <csignal>

namespace stampede::master {

namespace {

volatile std::sig_atomic_t heard = 0;
struct sigaction saved_int{}, saved_term{};

extern "C" void force_exit(int) {
    static const char message[] = "\nsecond interrupt: exiting without waiting\n";
    (void)!write(STDERR_FILENO, message, sizeof message - 1);
    _exit(130);
}

// Only async-signal-safe calls: write, signal, and a flag.
extern "C" void note_then_force(int) {
    static const char message[] =
        "\ninterrupt: the run is over, finishing its results (a second interrupt exits without them)\n";
    (void)!write(STDERR_FILENO, message, sizeof message - 1);
    heard = 1;
    std::signal(SIGINT, force_exit);
    std::signal(SIGTERM, force_exit);
}

void install(void (*handler)(int)) {
    struct sigaction action{};
    action.sa_handler = handler;
    action.sa_flags = SA_RESTART;  // a result file being opened or written carries on, not EINTR
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

}  // namespace

void exit_on_next_signal() { install(force_exit); }

finishing_signals::finishing_signals(bool already_signalled) {
    heard = 0;
    sigaction(SIGINT, nullptr, &saved_int);
    sigaction(SIGTERM, nullptr, &saved_term);
    install(already_signalled ? force_exit : note_then_force);
}

void finishing_signals::release() {
    if (released_) return;
    released_ = true;
    if (heard) return exit_on_next_signal();
    sigaction(SIGINT, &saved_int, nullptr);
    sigaction(SIGTERM, &saved_term, nullptr);
}

bool finishing_signals::signalled() const { return heard != 0; }

}  // namespace stampede::master

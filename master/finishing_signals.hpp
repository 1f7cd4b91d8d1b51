#pragma once
// SIGINT and SIGTERM once the run has ended, while the master stops its workers and writes
// the result files: the first says it is heard and lets them finish, a second exits at once
// (code 130) without them. A signal during the run (run_loop) already stopped it: then any
// further one exits at once.
namespace stampede::master {

// Replaces the process's handlers: the next SIGINT or SIGTERM ends the process (code 130).
void exit_on_next_signal();

class finishing_signals {
public:
    // `already_signalled`: the run was ended by a signal, so the next one is the second.
    explicit finishing_signals(bool already_signalled);
    ~finishing_signals() { release(); }
    // Puts back the handlers that were there before, unless a signal came: then the next one
    // still exits at once.
    void release();
    finishing_signals(const finishing_signals&) = delete;
    finishing_signals& operator=(const finishing_signals&) = delete;

    // Whether a first signal came while this guard stood (the master then lingers no longer).
    bool signalled() const;

private:
    bool released_ = false;
};

}  // namespace stampede::master

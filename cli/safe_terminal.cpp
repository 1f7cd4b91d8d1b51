#include "cli/safe_terminal.hpp"

#include <iostream>
#include <memory>
#include <mutex>
#include <streambuf>
#include <string>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "common/terminal_text.hpp"

namespace stampede::cli {

namespace {

// A stream buffer that escapes what passes through it into another one.
// It takes the stream's place for the life of the process and gives it back when destroyed at
// exit, before the streams' own last flush.
class escaping_buffer final : public std::streambuf {
public:
    explicit escaping_buffer(std::ostream& stream) : stream_(stream), to_(stream.rdbuf()) { stream_.rdbuf(this); }
    ~escaping_buffer() override {
        std::string out;
        escaper_.finish(out);
        to_->sputn(out.data(), static_cast<std::streamsize>(out.size()));
        to_->pubsync();
        if (stream_.rdbuf() == this) stream_.rdbuf(to_);
    }

protected:
    int_type overflow(int_type c) override {
        if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
        const char ch = traits_type::to_char_type(c);
        return write(&ch, 1) ? c : traits_type::eof();
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override { return write(s, n) ? n : 0; }
    int sync() override { return to_->pubsync(); }

private:
    bool write(const char* s, std::streamsize n) {
        const std::lock_guard lock(mutex_);  // threads may write at once; the escaper holds state
        std::string out;
        escaper_.feed(std::string_view(s, static_cast<std::size_t>(n)), out);
        return to_->sputn(out.data(), static_cast<std::streamsize>(out.size())) == static_cast<std::streamsize>(out.size());
    }
    std::ostream& stream_;
    std::streambuf* to_;
    std::mutex mutex_;
    common::terminal_escaper escaper_;
};

// A sink that escapes each message's text and hands it to the sink that formats and colours it.
class escaping_sink final : public spdlog::sinks::sink {
public:
    explicit escaping_sink(std::shared_ptr<spdlog::sinks::sink> to) : to_(std::move(to)) {}
    void log(const spdlog::details::log_msg& msg) override {
        const auto text = common::terminal_safe(std::string_view(msg.payload.data(), msg.payload.size()));
        auto safe = msg;
        safe.payload = spdlog::string_view_t(text.data(), text.size());
        to_->log(safe);
    }
    void flush() override { to_->flush(); }
    void set_pattern(const std::string& pattern) override { to_->set_pattern(pattern); }
    void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override { to_->set_formatter(std::move(formatter)); }

private:
    std::shared_ptr<spdlog::sinks::sink> to_;
};

}  // namespace

void make_console_output_safe() {
    static escaping_buffer out(std::cout), err(std::cerr);
    auto sink = std::make_shared<escaping_sink>(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    auto logger = std::make_shared<spdlog::logger>("stampede", std::move(sink));
    spdlog::set_default_logger(std::move(logger));
}

}  // namespace stampede::cli

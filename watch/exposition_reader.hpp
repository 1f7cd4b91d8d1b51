#pragma once
// Prometheus's text exposition format (version 0.0.4, and OpenMetrics' text as far as a scrape of
// it reads the same), read by a parser of Stampede's own: every sample in order, with the type
// its family declared. Bounded before and while reading (the whole text, a line, the samples,
// a sample's labels), so a service that answers 100 MB or a million series costs a clear error,
// not the master's memory; a line that breaks the format is an error at its line and column.
// Nothing is allocated per sample but what escaped label values need.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace stampede::watch {

enum class metric_type : std::uint8_t { untyped, counter, gauge, histogram, summary };

struct exposition_limits {
    std::size_t max_bytes = std::size_t{16} << 20;  // the whole text
    std::size_t max_line = 64 * 1024;
    std::size_t max_samples = 500'000;
    std::size_t max_labels = 64;  // on one sample
};

// One sample as read; its views point into the text (or, for a label value that held escapes,
// into the reader's own buffer) and last until the next sample is read.
struct exposition_sample {
    std::string_view name;  // as written: a histogram's `x_bucket`, `x_sum`, `x_count` too
    std::string_view family;  // the family its TYPE line declared, or its name when none did
    metric_type type = metric_type::untyped;
    std::vector<std::pair<std::string_view, std::string_view>> labels;
    double value = 0;

    // The value of label `name`, if it has one.
    const std::string_view* label(std::string_view name) const;
};

// Reads `text`, calling `each` for every sample in order. Stops at the first problem, which
// says where ("line 12, column 7: ...") and what.
common::status read_exposition(std::string_view text, const exposition_limits& limits,
                               const std::function<void(const exposition_sample&)>& each);

std::string_view to_string(metric_type type);

}  // namespace stampede::watch

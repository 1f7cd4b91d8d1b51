#include "proto/wire_text.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <unordered_map>
#include <vector>

#include "common/utf8.hpp"

namespace stampede::wire {

using namespace common;

namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Whether a message type holds a string anywhere inside; the answer is kept per type, so a
// snapshot's thousand endpoint deltas (numbers and bytes only) are never walked.
bool holds_text(const Descriptor* type, int depth = 0) {
    thread_local std::unordered_map<const Descriptor*, bool> known;
    if (auto it = known.find(type); it != known.end()) return it->second;
    bool text = false;
    for (int i = 0; i < type->field_count() && !text; ++i) {
        const auto* f = type->field(i);
        if (f->type() == FieldDescriptor::TYPE_STRING) text = true;
        else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && depth < 32)
            text = holds_text(f->message_type(), depth + 1);
    }
    known[type] = text;
    return text;
}

bool repair(std::string& text) {
    if (is_valid_utf8(text)) return false;
    text = valid_utf8_prefix(text);
    return true;
}

}  // namespace

std::size_t repair_text_fields(Message& message) {
    const auto* type = message.GetDescriptor();
    if (!holds_text(type)) return 0;
    const auto* reflection = message.GetReflection();
    std::size_t repaired = 0;
    std::vector<const FieldDescriptor*> fields;
    reflection->ListFields(message, &fields);
    for (const auto* f : fields) {
        // Map keys are names from the validated scenario; walking a map by reflection would
        // copy it (the data files) into its repeated form.
        if (f->is_map()) continue;
        if (f->type() == FieldDescriptor::TYPE_STRING) {
            if (f->is_repeated()) {
                for (int i = 0; i < reflection->FieldSize(message, f); ++i) {
                    std::string text = reflection->GetRepeatedString(message, f, i);
                    if (repair(text)) reflection->SetRepeatedString(&message, f, i, std::move(text)), ++repaired;
                }
            } else {
                std::string text = reflection->GetString(message, f);
                if (repair(text)) reflection->SetString(&message, f, std::move(text)), ++repaired;
            }
        } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && holds_text(f->message_type())) {
            if (f->is_repeated()) {
                for (int i = 0; i < reflection->FieldSize(message, f); ++i)
                    repaired += repair_text_fields(*reflection->MutableRepeatedMessage(&message, f, i));
            } else {
                repaired += repair_text_fields(*reflection->MutableMessage(&message, f));
            }
        }
    }
    return repaired;
}

}  // namespace stampede::wire

#include "realtime/client_message.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>

namespace voxpop {
namespace {

using json = nlohmann::json;

enum class Member { other, type, ref, poll_id, participant_token, moderator_token, answer };

// Appends `text` (valid UTF-8: the lexer checked it) as a JSON string.
void append_json_string(std::string& out, const std::string& text) {
    const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
        return static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != '\\';
    });
    if (!plain) {
        out += json(text).dump(-1, ' ', false, json::error_handler_t::replace);
        return;
    }
    out.push_back('"');
    out += text;
    out.push_back('"');
}

template <class Number>
void append_number(std::string& out, Number value) {
    char digits[24];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
}

// nlohmann's SAX interface, filling a ClientMessage. Depth 1 is the message object itself:
// its keys choose the member that the values after them fill.
class Reader {
  public:
    explicit Reader(ClientMessage& out) : out_(out) {}

    bool null() {
        if (in_ref()) return write_ref([](std::string& ref) { ref += "null"; });
        return capture({});
    }
    bool boolean(bool value) {
        if (in_ref())
            return write_ref([value](std::string& ref) { ref += value ? "true" : "false"; });
        return capture({});
    }
    bool number_integer(json::number_integer_t value) {
        if (in_ref()) return write_ref([value](std::string& ref) { append_number(ref, value); });
        return capture(value);
    }
    bool number_unsigned(json::number_unsigned_t value) {
        if (in_ref()) return write_ref([value](std::string& ref) { append_number(ref, value); });
        return capture(static_cast<std::int64_t>(value));  // as json::get<std::int64_t>()
    }
    bool number_float(json::number_float_t value, const std::string&) {
        // Written as a JSON tree would write it back, not as sent.
        if (in_ref()) return write_ref([value](std::string& ref) { ref += json(value).dump(); });
        return capture({});
    }
    bool string(std::string& value) {
        if (in_ref())
            return write_ref([&value](std::string& ref) { append_json_string(ref, value); });
        if (depth_ == 1) {
            switch (member_) {
                case Member::type:
                    out_.type = std::move(value);
                    return true;
                case Member::participant_token:
                    out_.participant_token = std::move(value);
                    return true;
                case Member::moderator_token:
                    out_.moderator_token = std::move(value);
                    return true;
                default:
                    break;
            }
        }
        return capture(std::move(value));
    }
    bool binary(json::binary_t&) { return false; }  // JSON text has none

    bool start_object(std::size_t) { return open('{'); }
    bool start_array(std::size_t) { return open('['); }
    bool end_object() { return close('}'); }
    bool end_array() { return close(']'); }

    bool key(std::string& name) {
        if (depth_ == 1) return start_member(name);
        if (in_ref()) {
            comma();
            append_json_string(out_.ref_json, name);
            out_.ref_json.push_back(':');
        }
        return true;
    }

    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
        return false;
    }

  private:
    bool in_ref() const { return depth_ >= 1 && member_ == Member::ref; }

    // Inside `ref`: a value or key follows another unless it opens a container or follows
    // a key. The text written so far says which, so no stack is needed.
    void comma() {
        auto& ref = out_.ref_json;
        if (!ref.empty() && ref.back() != '[' && ref.back() != '{' && ref.back() != ':')
            ref.push_back(',');
    }

    bool start_member(const std::string& name) {
        // A repeated member starts again: the last one wins, as in a JSON tree.
        member_ = Member::other;
        answer_ = nullptr;
        if (name == "type") {
            member_ = Member::type;
            out_.type.reset();
        } else if (name == "ref") {
            member_ = Member::ref;
            out_.ref_json.clear();
        } else if (name == "poll_id") {
            member_ = Member::poll_id;
            out_.poll_id.reset();
        } else if (name == "participant_token") {
            member_ = Member::participant_token;
            out_.participant_token.reset();
        } else if (name == "moderator_token") {
            member_ = Member::moderator_token;
            out_.moderator_token.reset();
        } else if (name == "options" || name == "words" || name == "rating") {
            member_ = Member::answer;
            answer_ = name == "options" ? &out_.answer.options
                      : name == "words" ? &out_.answer.words
                                        : &out_.answer.rating;
            *answer_ = {};
            answer_->present = true;
        }
        return true;
    }

    template <class Write>
    bool write_ref(Write write) {
        comma();
        write(out_.ref_json);
        return true;
    }

    // A value outside `ref`: kept when it is poll_id, an answer member or one of its elements.
    bool capture(AnswerFields::Value value) {
        if (depth_ == 0) return false;  // not an object
        if (depth_ == 1 && member_ == Member::poll_id) {
            if (auto* id = std::get_if<std::int64_t>(&value)) out_.poll_id = *id;
        } else if (depth_ == 1 && answer_) {
            answer_->value = std::move(value);
        } else if (depth_ == 2 && answer_ && answer_->is_array) {
            answer_->elements.push_back(std::move(value));
        }
        return true;
    }

    bool open(char bracket) {
        if (depth_ == 0 && bracket != '{') return false;  // not an object
        if (in_ref()) {
            comma();
            out_.ref_json.push_back(bracket);
        } else if (depth_ == 1 && answer_) {
            answer_->is_array = bracket == '[';
        } else if (depth_ == 2 && answer_ && answer_->is_array) {
            answer_->elements.emplace_back();  // neither integer nor string
        }
        ++depth_;
        return true;
    }

    bool close(char bracket) {
        --depth_;
        if (in_ref()) out_.ref_json.push_back(bracket);
        return true;
    }

    ClientMessage& out_;
    int depth_ = 0;
    Member member_ = Member::other;
    AnswerFields::Member* answer_ = nullptr;  // when member_ is Member::answer
};

}  // namespace

std::optional<ClientMessage> read_client_message(std::string_view text) {
    ClientMessage message;
    Reader reader(message);
    if (!json::sax_parse(text.begin(), text.end(), &reader)) return std::nullopt;
    return message;
}

}  // namespace voxpop

#include "hotjson.h"

#include "codec/untrustedjson.h"

#include <charconv>
#include <cstring>

namespace bd::connectors::hotjson {

std::string_view trimmedRight(std::string_view raw)
{
    while (!raw.empty()
           && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
        raw.remove_suffix(1);
    return raw;
}

bool readDouble(simdjson::ondemand::value &value, double *out)
{
    std::string_view token = value.raw_json_token();
    simdjson::ondemand::number n;
    if (token.empty() || value.get_number().get(n))
        return false;
    token = trimmedRight(token);
    const char *last = token.data() + token.size();
    const auto [end, ec] = std::from_chars(token.data(), last, *out);
    return ec == std::errc() && end == last;
}

bool consume(simdjson::ondemand::value &value, int depth)
{
    // simdjson On-Demand does not stop at its maximum depth while a value is walked.
    if (depth > kMaxJsonDepth)
        return false;
    using simdjson::ondemand::json_type;
    json_type type;
    if (value.type().get(type))
        return false;
    switch (type) {
    case json_type::string: {
        std::string_view s;
        return !value.get_string().get(s);
    }
    case json_type::number: {
        double d = 0;
        return readDouble(value, &d);
    }
    case json_type::boolean: {
        bool b = false;
        return !value.get_bool().get(b);
    }
    case json_type::null: {
        bool null = false;
        return !value.is_null().get(null) && null;
    }
    case json_type::object: {
        simdjson::ondemand::object object;
        if (value.get_object().get(object))
            return false;
        for (auto field : object) {
            std::string_view key;
            simdjson::ondemand::value member;
            if (field.unescaped_key().get(key) || field.value().get(member)
                || !consume(member, depth + 1))
                return false;
        }
        return true;
    }
    case json_type::array: {
        simdjson::ondemand::array array;
        if (value.get_array().get(array))
            return false;
        for (auto element : array) {
            simdjson::ondemand::value item;
            if (element.get(item) || !consume(item, depth + 1))
                return false;
        }
        return true;
    }
    }
    return false;
}

simdjson::padded_string_view padded(QByteArrayView bytes, std::string &scratch)
{
    const size_t size = size_t(bytes.size());
    if (scratch.size() < size + simdjson::SIMDJSON_PADDING)
        scratch.resize(size + simdjson::SIMDJSON_PADDING);
    if (size)
        std::memcpy(scratch.data(), bytes.data(), size);
    return simdjson::padded_string_view(scratch.data(), size, scratch.size());
}

} // namespace bd::connectors::hotjson

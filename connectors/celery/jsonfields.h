#pragma once

#include "codec/untrustedjson.h"

#include <QString>

#include <nlohmann/json.hpp>

namespace bd::connectors {

// A field of a decoded message as text: a string as it is, another value as compact JSON,
// nothing when the object has no such field (or it is null, or the value is no object).
// Invalid UTF-8 inside is replaced, never thrown about.
inline QString jsonText(const nlohmann::json &object, const char *name)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(name);
    if (it == object.end() || it->is_null())
        return {};
    if (it->is_string())
        return QString::fromStdString(it->get<std::string>());
    return jsonToText(*it);
}

} // namespace bd::connectors

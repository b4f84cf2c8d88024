#include "datasetdecoder.h"

#include "codec/untrustedjson.h"

#include <QCoreApplication>

#include <charconv>
#include <simdjson.h>

namespace bd::connectors {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("bd::connectors::DatasetDecoder", text);
}

template<class Number> QString numberText(Number value)
{
    char buffer[64];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value);
    return QString::fromLatin1(buffer, end.ec == std::errc() ? int(end.ptr - buffer) : 0);
}

QString kindOf(const nlohmann::ordered_json &value)
{
    switch (value.type()) {
    case nlohmann::ordered_json::value_t::object:
        return tr("an object");
    case nlohmann::ordered_json::value_t::array:
        return tr("an array");
    case nlohmann::ordered_json::value_t::string:
        return tr("a string");
    case nlohmann::ordered_json::value_t::boolean:
        return tr("a boolean");
    case nlohmann::ordered_json::value_t::null:
        return tr("null");
    default:
        return tr("a number");
    }
}

QString kindOf(simdjson::ondemand::json_type type)
{
    using simdjson::ondemand::json_type;
    switch (type) {
    case json_type::object:
        return tr("an object");
    case json_type::array:
        return tr("an array");
    case json_type::string:
        return tr("a string");
    case json_type::boolean:
        return tr("a boolean");
    case json_type::null:
        return tr("null");
    default:
        return tr("a number");
    }
}

QString notARecord(const QString &kind)
{
    return tr("%1, not an object").arg(kind);
}

QString cellText(const nlohmann::ordered_json &value)
{
    switch (value.type()) {
    case nlohmann::ordered_json::value_t::string:
        return QString::fromStdString(value.get_ref<const std::string &>());
    case nlohmann::ordered_json::value_t::number_integer:
        return datasetNumberText(qint64(value.get<std::int64_t>()));
    case nlohmann::ordered_json::value_t::number_unsigned:
        return datasetNumberText(quint64(value.get<std::uint64_t>()));
    case nlohmann::ordered_json::value_t::number_float:
        return datasetNumberText(value.get<double>());
    case nlohmann::ordered_json::value_t::boolean:
        return value.get<bool>() ? QStringLiteral("true") : QStringLiteral("false");
    case nlohmann::ordered_json::value_t::null:
        return {};
    default:
        return jsonToText(value);
    }
}

void addRecord(DatasetTableBuilder &builder, qint64 index, const QByteArray &origin,
               const nlohmann::ordered_json &object)
{
    builder.beginRecord(index, origin);
    for (auto it = object.begin(); it != object.end(); ++it)
        builder.field(it.key(), cellText(it.value()));
    builder.setRecordJson(jsonToBytes(object));
    builder.endRecord();
}

// A JSON object whose members are all objects: records named by the members.
bool isObjectOfRecords(const nlohmann::ordered_json &value)
{
    if (!value.is_object() || value.empty())
        return false;
    for (const auto &member : value) {
        if (!member.is_object())
            return false;
    }
    return true;
}

QString objectOfRecordsNote(qint64 count)
{
    return tr("the value is an object, not an array: its %1 members are read as records, "
              "named by the member")
        .arg(count);
}

// Why bytes are not JSON, for the operator: where, and whether they look like text at all.
QString notJson(QByteArrayView bytes, const JsonError &error)
{
    if (!simdjson::validate_utf8(bytes.data(), size_t(bytes.size())))
        return tr("not JSON text: the value is binary (%1 bytes that are not UTF-8); %2")
            .arg(bytes.size())
            .arg(error.toString());
    return tr("not valid JSON at %1").arg(error.toString());
}

// The cell of an On-Demand value; false when simdjson cannot read it (the caller falls back).
bool hotCell(simdjson::ondemand::value &value, QString *text)
{
    using simdjson::ondemand::json_type;
    json_type type;
    if (value.type().get(type))
        return false;
    switch (type) {
    case json_type::string: {
        std::string_view s;
        if (value.get_string().get(s))
            return false;
        *text = QString::fromUtf8(s.data(), qsizetype(s.size()));
        return true;
    }
    case json_type::number: {
        simdjson::ondemand::number n;
        if (value.get_number().get(n))
            return false;
        switch (n.get_number_type()) {
        case simdjson::ondemand::number_type::signed_integer:
            *text = datasetNumberText(qint64(n.get_int64()));
            return true;
        case simdjson::ondemand::number_type::unsigned_integer:
            *text = datasetNumberText(quint64(n.get_uint64()));
            return true;
        default:
            *text = datasetNumberText(n.get_double());
            return true;
        }
    }
    case json_type::boolean: {
        bool b = false;
        if (value.get_bool().get(b))
            return false;
        *text = b ? QStringLiteral("true") : QStringLiteral("false");
        return true;
    }
    case json_type::null: {
        bool null = false;
        if (value.is_null().get(null) || !null)
            return false;
        text->clear();
        return true;
    }
    case json_type::object:
    case json_type::array: {
        // Rare in records: printed as the reference prints it, through the gate.
        std::string_view raw;
        if (type == json_type::object) {
            simdjson::ondemand::object o;
            if (value.get_object().get(o) || o.raw_json().get(raw))
                return false;
        } else {
            simdjson::ondemand::array a;
            if (value.get_array().get(a) || a.raw_json().get(raw))
                return false;
        }
        // A cell is two levels down (array, record): the reference caps the whole value.
        const auto parsed = parseUntrustedJson(QByteArrayView(raw.data(), qsizetype(raw.size())),
                                               kMaxJsonDepth - 2);
        if (!parsed.ok())
            return false;
        *text = jsonToText(parsed.value);
        return true;
    }
    }
    return false;
}

std::string_view trimmedRight(std::string_view raw)
{
    while (!raw.empty()
           && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
        raw.remove_suffix(1);
    return raw;
}

// Reads an array of objects with simdjson into builder. False when simdjson could not read
// all of it; the records before the failure stay in builder.
bool decodeHot(QByteArrayView bytes, DatasetTableBuilder &builder, bool *notAnArray)
{
    using namespace simdjson;
    const padded_string copy(bytes.data(), size_t(bytes.size()));
    ondemand::parser parser;
    if (parser.allocate(copy.size(), size_t(kMaxJsonDepth)))
        return false;
    ondemand::document doc;
    if (parser.iterate(copy).get(doc))
        return false;
    ondemand::json_type type;
    if (doc.type().get(type))
        return false;
    if (type != ondemand::json_type::array) {
        *notAnArray = true;
        return false;
    }
    ondemand::array array;
    if (doc.get_array().get(array))
        return false;
    qint64 index = 0;
    for (auto element : array) {
        ondemand::value value;
        ondemand::json_type elementType;
        if (element.get(value) || value.type().get(elementType))
            return false;
        if (elementType != ondemand::json_type::object) {
            // Read it, so a malformed scalar fails here as it does in the reference.
            QString ignored;
            if (!hotCell(value, &ignored))
                return false;
            builder.addProblem(index++, notARecord(kindOf(elementType)));
            continue;
        }
        ondemand::object object;
        std::string_view raw;
        bool rewound = false;
        if (value.get_object().get(object) || object.raw_json().get(raw)
            || object.reset().get(rewound))
            return false;
        builder.beginRecord(index);
        for (auto field : object) {
            std::string_view key;
            ondemand::value fieldValue;
            QString text;
            if (field.unescaped_key().get(key) || field.value().get(fieldValue)
                || !hotCell(fieldValue, &text))
                return false;
            builder.field(key, std::move(text));
        }
        raw = trimmedRight(raw);
        builder.setRecordJson(QByteArray(raw.data(), qsizetype(raw.size())));
        builder.endRecord();
        ++index;
    }
    // Nothing may follow the array (simdjson 3.0 reads the root value only): past the end,
    // the iterator has no location.
    const char *trailing = nullptr;
    return doc.current_location().get(trailing) == OUT_OF_BOUNDS;
}

// The records of a value cut short (a truncated write, a read that stopped at a limit): the
// longest prefix that ends a record and reads as an array of records once closed. simdjson
// refuses a value with an unclosed string as a whole, before the first record.
DatasetTable recordsBeforeTheEnd(QByteArrayView bytes, const DatasetDecodeOptions &options)
{
    // Text after the array: the array alone.
    const qsizetype close = bytes.lastIndexOf(']');
    if (close > 0) {
        DatasetTableBuilder builder(options);
        bool notAnArray = false;
        if (decodeHot(bytes.first(close + 1), builder, &notAnArray))
            return builder.take();
    }
    constexpr int kTries = 8;
    qsizetype end = bytes.size();
    for (int i = 0; i < kTries; ++i) {
        end = QByteArrayView(bytes.data(), end).lastIndexOf(QByteArrayView("},"));
        if (end <= 0)
            break;
        QByteArray prefix(bytes.data(), end + 1);
        prefix += ']';
        DatasetTableBuilder builder(options);
        bool notAnArray = false;
        if (decodeHot(prefix, builder, &notAnArray))
            return builder.take();
    }
    return DatasetTableBuilder(options).take();
}

} // namespace

QString datasetNumberText(qint64 value)
{
    return numberText(value);
}

QString datasetNumberText(quint64 value)
{
    return numberText(value);
}

QString datasetNumberText(double value)
{
    if (value == 0)
        return QStringLiteral("0"); // -0 and 0.0 read as the integer 0 does
    return numberText(value);
}

DatasetTableBuilder::DatasetTableBuilder(const DatasetDecodeOptions &options)
    : m_idField(options.idField)
{
    for (const QString &column : options.columns)
        columnFor(column.toStdString());
    m_hint.clear();
    m_idColumn = m_idField.isEmpty() ? -1 : int(m_table.columns.indexOf(m_idField));
}

int DatasetTableBuilder::columnFor(std::string_view name)
{
    // Records of one dataset mostly list their fields in the same order: the column the last
    // record had at this position is tried before the map.
    const size_t position = size_t(m_fieldNo);
    if (position < m_hint.size()) {
        const int hinted = m_hint[position];
        if (hinted >= 0 && m_names[size_t(hinted)] == name)
            return hinted;
    }
    std::string key(name);
    const auto it = m_columnByName.find(key);
    int column = -1;
    if (it != m_columnByName.end()) {
        column = it->second;
    } else if (m_table.columns.size() < DatasetTable::kMaxColumns) {
        column = int(m_table.columns.size());
        m_table.columns << QString::fromUtf8(name.data(), qsizetype(name.size()));
        m_names.push_back(key);
        m_columnByName.emplace(std::move(key), column);
        if (m_idColumn < 0 && !m_idField.isEmpty() && m_table.columns.constLast() == m_idField)
            m_idColumn = column;
    }
    if (position >= m_hint.size())
        m_hint.resize(position + 1, -1);
    m_hint[position] = column;
    return column;
}

void DatasetTableBuilder::beginRecord(qint64 index, const QByteArray &origin)
{
    m_record = DatasetRecord();
    m_record.index = index;
    m_record.origin = origin;
    m_fieldNo = 0;
}

void DatasetTableBuilder::field(std::string_view name, QString text)
{
    const int column = columnFor(name);
    ++m_fieldNo;
    if (column < 0)
        return; // past kMaxColumns: in the record's JSON only
    if (m_record.cells.size() <= size_t(column))
        m_record.cells.resize(size_t(column) + 1);
    m_record.cells[size_t(column)] = std::move(text);
}

void DatasetTableBuilder::setRecordJson(QByteArray json)
{
    m_record.json = std::move(json);
}

void DatasetTableBuilder::endRecord()
{
    const qint64 index = m_record.index;
    if (m_idColumn >= 0 && size_t(m_idColumn) < m_record.cells.size()
        && !m_record.cells[size_t(m_idColumn)].isEmpty()) {
        m_record.id = m_record.cells[size_t(m_idColumn)];
        const auto first = m_firstById.constFind(m_record.id);
        if (first != m_firstById.constEnd())
            m_table.addProblem(index, QCoreApplication::translate("bd::connectors::DatasetDecoder",
                                                                  "%1 %2 is also record %3")
                                          .arg(m_idField, m_record.id)
                                          .arg(*first));
        else
            m_firstById.insert(m_record.id, index);
    } else if (!m_idField.isEmpty()) {
        m_table.addProblem(
            index,
            QCoreApplication::translate("bd::connectors::DatasetDecoder", "no %1").arg(m_idField));
    }
    m_table.records.push_back(std::move(m_record));
    m_record = DatasetRecord();
}

void DatasetTableBuilder::addJsonRecord(qint64 index, const QByteArray &origin, QByteArrayView json)
{
    const auto parsed = parseUntrustedOrderedJson(json);
    if (!parsed.ok()) {
        addProblem(index, notJson(json, parsed.error));
        return;
    }
    if (!parsed.value.is_object()) {
        addProblem(index, notARecord(kindOf(parsed.value)));
        return;
    }
    addRecord(*this, index, origin, parsed.value);
}

DatasetTable DatasetTableBuilder::take()
{
    DatasetTable out = std::move(m_table);
    m_table = DatasetTable();
    return out;
}

DatasetTable decodeDatasetJsonReference(QByteArrayView bytes, const DatasetDecodeOptions &options)
{
    DatasetTableBuilder builder(options);
    const auto parsed = parseUntrustedOrderedJson(bytes);
    if (!parsed.ok()) {
        DatasetTable table = builder.take();
        table.error = notJson(bytes, parsed.error);
        table.bytes = bytes.size();
        return table;
    }
    const nlohmann::ordered_json &value = parsed.value;
    if (value.is_array()) {
        qint64 index = 0;
        for (const auto &element : value) {
            if (element.is_object())
                addRecord(builder, index, {}, element);
            else
                builder.addProblem(index, notARecord(kindOf(element)));
            ++index;
        }
    } else if (isObjectOfRecords(value)) {
        builder.addProblem(-1, objectOfRecordsNote(qint64(value.size())));
        qint64 index = 0;
        for (auto it = value.begin(); it != value.end(); ++it)
            addRecord(builder, index++, QByteArray::fromStdString(it.key()), it.value());
    } else {
        DatasetTable table = builder.take();
        table.error = tr("the value is %1, not an array of records").arg(kindOf(value));
        table.bytes = bytes.size();
        return table;
    }
    DatasetTable table = builder.take();
    table.bytes = bytes.size();
    return table;
}

DatasetTable decodeDatasetJson(QByteArrayView bytes, const DatasetDecodeOptions &options)
{
    DatasetTableBuilder builder(options);
    bool notAnArray = false;
    if (decodeHot(bytes, builder, &notAnArray)) {
        DatasetTable table = builder.take();
        table.bytes = bytes.size();
        return table;
    }
    // simdjson stopped: the reference says what is wrong and where (or reads what simdjson
    // would not, a number past 64 bits among them).
    DatasetTable reference = decodeDatasetJsonReference(bytes, options);
    if (reference.ok() || notAnArray)
        return reference;
    DatasetTable partial = builder.take();
    if (partial.records.empty())
        partial = recordsBeforeTheEnd(bytes, options);
    partial.error = reference.error;
    if (!partial.records.empty())
        partial.error += tr(" (the %1 records before it are shown)").arg(partial.records.size());
    partial.bytes = bytes.size();
    return partial;
}

} // namespace bd::connectors

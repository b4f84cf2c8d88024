#include "datasetdecoder.h"

#include "codec/hotjson.h"
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

template<class Number> QByteArray numberText(Number value)
{
    char buffer[64];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value);
    return QByteArray(buffer, end.ec == std::errc() ? qsizetype(end.ptr - buffer) : 0);
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

// A cell as UTF-8, as both decoders write it.
QByteArray cellText(const nlohmann::ordered_json &value)
{
    switch (value.type()) {
    case nlohmann::ordered_json::value_t::string:
        return QByteArray::fromStdString(value.get_ref<const std::string &>());
    case nlohmann::ordered_json::value_t::number_integer:
        return datasetNumberText(qint64(value.get<std::int64_t>()));
    case nlohmann::ordered_json::value_t::number_unsigned:
        return datasetNumberText(quint64(value.get<std::uint64_t>()));
    case nlohmann::ordered_json::value_t::number_float:
        return datasetNumberText(value.get<double>());
    case nlohmann::ordered_json::value_t::boolean:
        return value.get<bool>() ? QByteArrayLiteral("true") : QByteArrayLiteral("false");
    case nlohmann::ordered_json::value_t::null:
        return {};
    default:
        return jsonToBytes(value);
    }
}

void addRecord(DatasetTableBuilder &builder, qint64 index, const QByteArray &origin,
               const nlohmann::ordered_json &object)
{
    builder.beginRecord(index, origin);
    for (auto it = object.begin(); it != object.end(); ++it)
        builder.field(it.key(), cellText(it.value()));
    builder.appendRecordJson(jsonToBytes(object));
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

// The cell of an On-Demand value as UTF-8 (text views simdjson's buffer or scratch); false
// when simdjson cannot read it (the caller falls back to the reference).
bool hotCell(simdjson::ondemand::value &value, QByteArrayView *text, QByteArray &scratch)
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
        *text = QByteArrayView(s.data(), qsizetype(s.size()));
        return true;
    }
    case json_type::number: {
        // simdjson checks the grammar (01, 1., -: errors as in the reference); the value is
        // read from the token with from_chars, correctly rounded as strtod rounds: simdjson
        // 3.0's own reading of a number with more than 19 digits gave 0.
        std::string_view token = value.raw_json_token();
        simdjson::ondemand::number n;
        if (token.empty() || value.get_number().get(n))
            return false;
        token = hotjson::trimmedRight(token);
        const char *first = token.data();
        const char *last = token.data() + token.size();
        const bool integral = token.find_first_of(".eE") == std::string_view::npos;
        if (integral && token.front() == '-') {
            qint64 v = 0;
            if (std::from_chars(first, last, v).ec == std::errc()) {
                scratch = datasetNumberText(v);
                *text = scratch;
                return true;
            }
        } else if (integral) {
            quint64 v = 0;
            if (std::from_chars(first, last, v).ec == std::errc()) {
                scratch = datasetNumberText(v);
                *text = scratch;
                return true;
            }
        }
        // A fraction, an exponent, or an integer past 64 bits (a double, as the reference
        // reads it). Out of range (1e400, 1e-400): the reference decides.
        double v = 0;
        const auto [end, ec] = std::from_chars(first, last, v);
        if (ec != std::errc() || end != last)
            return false;
        scratch = datasetNumberText(v);
        *text = scratch;
        return true;
    }
    case json_type::boolean: {
        bool b = false;
        if (value.get_bool().get(b))
            return false;
        *text = b ? QByteArrayView("true") : QByteArrayView("false");
        return true;
    }
    case json_type::null: {
        bool null = false;
        if (value.is_null().get(null) || !null)
            return false;
        *text = QByteArrayView();
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
        scratch = jsonToBytes(parsed.value);
        *text = scratch;
        return true;
    }
    }
    return false;
}

// Reads an array of objects with simdjson into builder. False when simdjson could not read
// all of it; the records before the failure stay in builder.
bool decodeHot(const QByteArray &bytes, DatasetTableBuilder &builder, bool *notAnArray)
{
    using namespace simdjson;
    // simdjson reads up to SIMDJSON_PADDING bytes past the end: the bytes' own spare capacity
    // when they have it (DatasetReader reserves it), else a padded copy.
    padded_string copy;
    padded_string_view view;
    if (bytes.capacity() - bytes.size() >= qsizetype(SIMDJSON_PADDING)) {
        view =
            padded_string_view(bytes.constData(), size_t(bytes.size()), size_t(bytes.capacity()));
    } else {
        copy = padded_string(bytes.constData(), size_t(bytes.size()));
        view = copy;
    }
    ondemand::parser parser;
    if (parser.allocate(view.size(), size_t(kMaxJsonDepth)))
        return false;
    ondemand::document doc;
    if (parser.iterate(view).get(doc))
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
    builder.setSource(bytes);
    builder.reserve(bytes.size() / 128);
    const char *const base = view.data();
    QByteArray scratch;
    qint64 index = 0;
    for (auto element : array) {
        ondemand::value value;
        ondemand::json_type elementType;
        if (element.get(value) || value.type().get(elementType))
            return false;
        if (elementType != ondemand::json_type::object) {
            // Read it, so a malformed scalar fails here as it does in the reference.
            QByteArrayView ignored;
            if (!hotCell(value, &ignored, scratch))
                return false;
            builder.addProblem(index++, notARecord(kindOf(elementType)));
            continue;
        }
        // The record's JSON: from its '{' to the '}' before the structural that follows it
        // (',' or ']'), found once its fields are read: one pass over it, not two.
        const char *start = value.raw_json_token().data();
        ondemand::object object;
        if (value.get_object().get(object))
            return false;
        builder.beginRecord(index);
        for (auto field : object) {
            std::string_view key;
            ondemand::value fieldValue;
            QByteArrayView text;
            if (field.unescaped_key().get(key) || field.value().get(fieldValue)
                || !hotCell(fieldValue, &text, scratch))
                return false;
            builder.field(key, text);
        }
        const char *next = nullptr;
        if (doc.current_location().get(next) || next <= start)
            return false;
        const std::string_view raw =
            hotjson::trimmedRight(std::string_view(start, size_t(next - start)));
        if (raw.empty() || raw.back() != '}')
            return false;
        builder.setRecordJsonSpan(qint64(raw.data() - base), qint64(raw.size()));
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
DatasetTable recordsBeforeTheEnd(const QByteArray &bytes, const DatasetDecodeOptions &options)
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
        QByteArray prefix = bytes.first(end + 1);
        prefix += ']';
        DatasetTableBuilder builder(options);
        bool notAnArray = false;
        if (decodeHot(prefix, builder, &notAnArray))
            return builder.take();
    }
    return DatasetTableBuilder(options).take();
}

} // namespace

QByteArray datasetNumberText(qint64 value)
{
    return numberText(value);
}

QByteArray datasetNumberText(quint64 value)
{
    return numberText(value);
}

QByteArray datasetNumberText(double value)
{
    if (value == 0)
        return QByteArrayLiteral("0"); // -0 and 0.0 read as the integer 0 does
    return numberText(value);
}

DatasetTableBuilder::DatasetTableBuilder(const DatasetDecodeOptions &options)
    : m_idField(options.idField)
{
    for (const QString &column : options.columns)
        columnFor(column.toStdString());
    m_hint.clear();
    m_table.m_idColumn = m_idField.isEmpty() ? -1 : m_table.columnOf(m_idField);
}

void DatasetTableBuilder::setSource(QByteArray bytes)
{
    m_table.m_jsonStore = std::move(bytes);
}

void DatasetTableBuilder::reserve(qint64 records)
{
    m_table.m_records.reserve(size_t(qBound<qint64>(0, records, qint64(1) << 24)));
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
    } else if (m_table.m_columns.size() < DatasetTable::kMaxColumns) {
        column = int(m_table.m_columns.size());
        m_table.m_columns << QString::fromUtf8(name.data(), qsizetype(name.size()));
        DatasetTable::Column cells;
        cells.ends.assign(m_table.m_records.size(), 0); // empty in the records before
        m_table.m_cells.push_back(std::move(cells));
        m_names.push_back(key);
        m_columnByName.emplace(std::move(key), column);
        if (m_table.m_idColumn < 0 && !m_idField.isEmpty()
            && m_table.m_columns.constLast() == m_idField)
            m_table.m_idColumn = column;
    }
    if (position >= m_hint.size())
        m_hint.resize(position + 1, -1);
    m_hint[position] = column;
    return column;
}

void DatasetTableBuilder::trimToRecords()
{
    const size_t records = m_table.m_records.size();
    for (DatasetTable::Column &c : m_table.m_cells) {
        if (c.ends.size() > records) {
            c.ends.resize(records);
            c.text.truncate(records ? qsizetype(c.ends.back()) : 0);
        }
    }
}

void DatasetTableBuilder::beginRecord(qint64 index, const QByteArray &origin)
{
    trimToRecords();
    m_record = DatasetTable::Record();
    m_record.index = index;
    m_record.origin = origin;
    m_fieldNo = 0;
}

void DatasetTableBuilder::field(std::string_view name, QByteArrayView utf8)
{
    const int column = columnFor(name);
    ++m_fieldNo;
    if (column < 0)
        return; // past kMaxColumns: in the record's JSON only
    DatasetTable::Column &c = m_table.m_cells[size_t(column)];
    const size_t row = m_table.m_records.size();
    if (c.ends.size() > row) { // the name again in this record: the later value wins
        c.ends.pop_back();
        c.text.truncate(row ? qsizetype(c.ends.back()) : 0);
    }
    c.text.append(utf8);
    c.ends.push_back(quint32(c.text.size()));
}

void DatasetTableBuilder::setRecordJsonSpan(qint64 start, qint64 length)
{
    m_record.jsonStart = start;
    m_record.jsonLength = length;
}

void DatasetTableBuilder::appendRecordJson(QByteArrayView json)
{
    m_record.jsonStart = m_table.m_jsonStore.size();
    m_record.jsonLength = json.size();
    m_table.m_jsonStore.append(json);
}

void DatasetTableBuilder::endRecord()
{
    const size_t row = m_table.m_records.size();
    for (DatasetTable::Column &c : m_table.m_cells) {
        if (c.ends.size() == row) // absent from this record: empty
            c.ends.push_back(quint32(c.text.size()));
    }
    const qint64 index = m_record.index;
    m_table.m_records.push_back(std::move(m_record));
    m_record = DatasetTable::Record();
    if (m_idField.isEmpty())
        return;
    const QByteArrayView id = m_table.idUtf8(qsizetype(row));
    if (id.isEmpty()) {
        m_table.addProblem(
            index,
            QCoreApplication::translate("bd::connectors::DatasetDecoder", "no %1").arg(m_idField));
        return;
    }
    m_idHashes.push_back({qHash(id), qint64(row)});
}

void DatasetTableBuilder::reportDuplicateIds()
{
    // Sorted by hash, then row: a duplicate follows the first record with its id.
    std::sort(m_idHashes.begin(), m_idHashes.end());
    size_t first = 0; // the first entry with this hash
    for (size_t i = 1; i < m_idHashes.size(); ++i) {
        if (m_idHashes[i].first != m_idHashes[i - 1].first) {
            first = i;
            continue;
        }
        const qsizetype row = qsizetype(m_idHashes[i].second);
        const qsizetype firstRow = qsizetype(m_idHashes[first].second);
        const QByteArrayView id = m_table.idUtf8(row);
        if (m_table.idUtf8(firstRow) != id)
            continue; // another id with the same hash
        m_table.addProblem(
            m_table.record(row).index,
            QCoreApplication::translate("bd::connectors::DatasetDecoder", "%1 %2 is also record %3")
                .arg(m_idField, QString::fromUtf8(id))
                .arg(m_table.record(firstRow).index));
    }
    m_idHashes.clear();
    // Said in record order among the others.
    std::stable_sort(
        m_table.m_problems.begin(), m_table.m_problems.end(),
        [](const DatasetProblem &a, const DatasetProblem &b) { return a.record < b.record; });
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
    trimToRecords();
    reportDuplicateIds();
    DatasetTable out = std::move(m_table);
    m_table = DatasetTable();
    return out;
}

DatasetTable decodeDatasetJsonReference(const QByteArray &bytes,
                                        const DatasetDecodeOptions &options)
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

DatasetTable decodeDatasetJson(const QByteArray &bytes, const DatasetDecodeOptions &options)
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
    if (partial.recordCount() == 0)
        partial = recordsBeforeTheEnd(bytes, options);
    partial.error = reference.error;
    partial.bytes = bytes.size();
    return partial;
}

} // namespace bd::connectors

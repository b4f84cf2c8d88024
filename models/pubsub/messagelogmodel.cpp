#include "messagelogmodel.h"

#include "codec/untrustedjson.h"
#include "common/offthread.h"
#include "common/tones.h"
#include "pubsub/payloaddetail.h"
#include "redis/monitorline.h"
#include "redis/redisreply.h"
#include "redis/replyformatter.h"

#include <QBrush>
#include <QByteArrayMatcher>
#include <QDateTime>
#include <QIODevice>
#include <QLocale>
#include <QPalette>
#include <QStringDecoder>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <memory>

namespace bd::models {

using connectors::PushMessage;

namespace {

constexpr int kFlushIntervalMs = 50;
constexpr qsizetype kPreviewBytes = 256;   // what the Payload column shows of a payload
constexpr qint64 kPerMessageOverhead = 96; // slot, QByteArray headers and allocator: a guess

QString previewText(const QByteArray &bytes)
{
    const bool cut = bytes.size() > kPreviewBytes;
    const QByteArray head = bytes.left(kPreviewBytes);
    QString text;
    bool utf8 = false;
    // A preview cut inside a character is still text: up to 3 bytes of it may be left out.
    for (int drop = 0; drop <= (cut ? 3 : 0) && !utf8; ++drop) {
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        text = decoder.decode(head.left(head.size() - drop));
        utf8 = !decoder.hasError();
    }
    if (!utf8) {
        return QStringLiteral("hex: ") + QString::fromLatin1(bytes.left(48).toHex(' '))
               + (bytes.size() > 48 ? QStringLiteral(" …") : QString());
    }
    for (QChar &c : text) {
        if (c.unicode() < 0x20)
            c = QLatin1Char(' '); // one line per row: newlines and control characters as spaces
    }
    if (cut)
        text += QStringLiteral(" …");
    return text;
}

QString timeText(qint64 timeUs, bool withDate)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(timeUs / 1000);
    return t.toString(withDate ? QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")
                               : QStringLiteral("HH:mm:ss.zzz"));
}

nlohmann::json bytesJson(const QByteArray &bytes)
{
    return connectors::ReplyFormatter::toJson(connectors::RedisReply::string(bytes));
}

QByteArray csvField(const QByteArray &bytes)
{
    QByteArray quoted = bytes;
    quoted.replace('"', "\"\"");
    return '"' + quoted + '"';
}

QByteArray kindName(LoggedMessage::Kind kind)
{
    switch (kind) {
    case LoggedMessage::Kind::Message:
        return "message";
    case LoggedMessage::Kind::Command:
        return "command";
    case LoggedMessage::Kind::Gap:
        return "gap";
    case LoggedMessage::Kind::Note:
        return "note";
    }
    return {};
}

// The arguments of a MONITOR line after the command, as the server quoted them.
QByteArray argumentsText(const QByteArray &line)
{
    const qsizetype close = line.indexOf("] ");
    qsizetype pos = close + 2;
    // Skip the first quoted token (the command).
    if (pos < line.size() && line[pos] == '"') {
        ++pos;
        while (pos < line.size() && line[pos] != '"')
            pos += line[pos] == '\\' ? 2 : 1;
        ++pos;
    }
    return line.mid(pos).trimmed();
}

} // namespace

MessageLogModel::MessageLogModel(Mode mode, QObject *parent)
    : QAbstractTableModel(parent)
    , m_mode(mode)
    , m_ring(size_t(kDefaultCapacity))
    , m_flushTimer(new QTimer(this))
{
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(kFlushIntervalMs);
    connect(m_flushTimer, &QTimer::timeout, this, &MessageLogModel::flush);
}

bool MessageLogModel::fromPush(const PushMessage &p, Mode mode, LoggedMessage *out)
{
    LoggedMessage &m = *out;
    if (mode == Mode::PubSub
        && (p.kind == PushMessage::Kind::Message || p.kind == PushMessage::Kind::PatternMessage)) {
        m.kind = LoggedMessage::Kind::Message;
        m.timeUs = p.receivedMs * 1000;
        m.name = p.channel;
        m.origin = p.pattern;
        m.payload = p.payload;
        return true;
    }
    if (mode != Mode::Monitor || p.kind != PushMessage::Kind::Monitor)
        return false;
    const connectors::MonitorLine line = connectors::parseMonitorLine(p.payload);
    if (line.ok) {
        m.kind = LoggedMessage::Kind::Command;
        m.timeUs = line.timeUs;
        m.db = line.db;
        m.name = line.args.first().toUpper();
        m.origin = line.client;
        m.payload = argumentsText(p.payload);
    } else {
        m.kind = LoggedMessage::Kind::Note; // a line of another shape: kept as it came
        m.timeUs = p.receivedMs * 1000;
        m.payload = p.payload;
    }
    return true;
}

void MessageLogModel::appendPushMessages(const std::deque<PushMessage> &messages, quint64 lost)
{
    m_lost += lost;
    for (const PushMessage &p : messages) {
        LoggedMessage m;
        if (fromPush(p, m_mode, &m))
            append(std::move(m));
    }
    if (lost > 0)
        scheduleFlush();
}

void MessageLogModel::append(LoggedMessage message)
{
    if (message.kind == LoggedMessage::Kind::Message
        || message.kind == LoggedMessage::Kind::Command)
        ++m_received;
    m_incoming.push_back(std::move(message));
    // What waits is bounded too (paused, or a filter running): the oldest would be evicted
    // from the ring anyway by the time they went in.
    while (qsizetype(m_incoming.size()) > m_capacity) {
        m_incoming.pop_front();
        ++m_evicted;
    }
    scheduleFlush();
}

void MessageLogModel::addGap(qint64 fromMs, qint64 toMs, const QString &why)
{
    LoggedMessage m;
    m.kind = LoggedMessage::Kind::Gap;
    m.timeUs = toMs * 1000;
    const QLocale locale;
    m.payload = tr("Gap: disconnected from %1 to %2 (%3 s); anything published meanwhile was not "
                   "received. %4")
                    .arg(timeText(fromMs * 1000, false), timeText(toMs * 1000, false),
                         locale.toString((toMs - fromMs) / 1000.0, 'f', 1), why)
                    .trimmed()
                    .toUtf8();
    ++m_gaps;
    append(std::move(m));
}

void MessageLogModel::addNote(const QString &text)
{
    LoggedMessage m;
    m.kind = LoggedMessage::Kind::Note;
    m.timeUs = QDateTime::currentMSecsSinceEpoch() * 1000;
    m.payload = text.toUtf8();
    append(std::move(m));
}

void MessageLogModel::scheduleFlush()
{
    // Paused or filtering, the timer still runs: the counts ("N new") move on.
    if (!m_flushTimer->isActive())
        m_flushTimer->start();
}

qint64 MessageLogModel::weight(const LoggedMessage &m)
{
    return m.name.size() + m.origin.size() + m.payload.size() + kPerMessageOverhead;
}

const LoggedMessage &MessageLogModel::bySeq(quint64 seq) const
{
    return m_ring[size_t((m_head + qsizetype(seq - m_firstSeq)) % m_capacity)];
}

bool MessageLogModel::passes(const LoggedMessage &m) const
{
    if (m.kind == LoggedMessage::Kind::Gap || m.kind == LoggedMessage::Kind::Note)
        return true; // never hidden
    if (!m_nameFilter.isEmpty() && !m.name.contains(m_nameFilter))
        return false;
    if (!m_textFilter.isEmpty() && !m.payload.contains(m_textFilter)
        && !m.name.contains(m_textFilter) && !m.origin.contains(m_textFilter))
        return false;
    return true;
}

void MessageLogModel::evictOldest(qsizetype n)
{
    n = qMin(n, m_count);
    if (n <= 0)
        return;
    const quint64 newFirst = m_firstSeq + quint64(n);
    qsizetype rows = 0;
    while (rows < qsizetype(m_rows.size()) && m_rows[size_t(rows)] < newFirst)
        ++rows;
    if (rows > 0) {
        beginRemoveRows({}, 0, int(rows) - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + rows);
        endRemoveRows();
    }
    for (qsizetype i = 0; i < n; ++i) {
        LoggedMessage &slot = m_ring[size_t(m_head)];
        m_bytes -= weight(slot);
        slot = LoggedMessage(); // frees the bytes now
        m_head = (m_head + 1) % m_capacity;
    }
    m_count -= n;
    m_firstSeq = newFirst;
    m_evicted += quint64(n);
}

void MessageLogModel::flush()
{
    m_flushTimer->stop();
    if (m_paused || m_filterRunning || m_incoming.empty()) {
        Q_EMIT countsChanged();
        return;
    }
    // Room first: one removal for every row the ring lets go of.
    qint64 incomingBytes = 0;
    for (const LoggedMessage &m : m_incoming)
        incomingBytes += weight(m);
    qsizetype evict = qMax<qsizetype>(0, m_count + qsizetype(m_incoming.size()) - m_capacity);
    qint64 bytesAfter = m_bytes + incomingBytes;
    for (qsizetype i = 0; i < evict; ++i)
        bytesAfter -= weight(bySeq(m_firstSeq + quint64(i)));
    while (bytesAfter > m_maxBytes && evict < m_count) {
        bytesAfter -= weight(bySeq(m_firstSeq + quint64(evict)));
        ++evict;
    }
    evictOldest(evict);
    // Then the new messages, in one insertion of the rows that pass the filter. A batch
    // bigger than the byte budget keeps its newest messages.
    while (!m_incoming.empty() && m_bytes + incomingBytes > m_maxBytes && m_incoming.size() > 1) {
        incomingBytes -= weight(m_incoming.front());
        m_incoming.pop_front();
        ++m_evicted;
    }
    std::vector<quint64> shown;
    shown.reserve(m_incoming.size());
    const quint64 nextSeq = m_firstSeq + quint64(m_count);
    quint64 seq = nextSeq;
    for (LoggedMessage &m : m_incoming) {
        if (passes(m))
            shown.push_back(seq);
        m_bytes += weight(m);
        m_ring[size_t((m_head + m_count) % m_capacity)] = std::move(m);
        ++m_count;
        ++seq;
    }
    m_incoming.clear();
    if (!shown.empty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(shown.size()) - 1);
        m_rows.insert(m_rows.end(), shown.begin(), shown.end());
        endInsertRows();
    }
    Q_EMIT countsChanged();
}

void MessageLogModel::setCapacity(qsizetype messages)
{
    messages = qMax<qsizetype>(1, messages);
    if (messages == m_capacity)
        return;
    beginResetModel();
    // Keep the newest that fit, laid out from slot 0.
    const qsizetype keep = qMin(m_count, messages);
    std::vector<LoggedMessage> ring(static_cast<size_t>(messages));
    const quint64 firstKept = m_firstSeq + quint64(m_count - keep);
    qint64 bytes = 0;
    for (qsizetype i = 0; i < keep; ++i) {
        LoggedMessage &m = m_ring[size_t((m_head + (m_count - keep) + i) % m_capacity)];
        bytes += weight(m);
        ring[size_t(i)] = std::move(m);
    }
    m_evicted += quint64(m_count - keep);
    m_ring.swap(ring);
    m_capacity = messages;
    m_head = 0;
    m_count = keep;
    m_firstSeq = firstKept;
    m_bytes = bytes;
    while (!m_rows.empty() && m_rows.front() < firstKept)
        m_rows.pop_front();
    endResetModel();
    while (qsizetype(m_incoming.size()) > m_capacity) {
        m_incoming.pop_front();
        ++m_evicted;
    }
    Q_EMIT countsChanged();
}

void MessageLogModel::setMaxBytes(qint64 bytes)
{
    m_maxBytes = qMax<qint64>(kPerMessageOverhead * 2, bytes);
    qsizetype evict = 0;
    qint64 after = m_bytes;
    while (after > m_maxBytes && evict < m_count) {
        after -= weight(bySeq(m_firstSeq + quint64(evict)));
        ++evict;
    }
    evictOldest(evict);
    Q_EMIT countsChanged();
}

void MessageLogModel::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (!paused)
        flush();
    else
        Q_EMIT countsChanged();
}

void MessageLogModel::setFilter(const QString &name, const QString &text)
{
    const QByteArray n = name.toUtf8();
    const QByteArray t = text.toUtf8();
    if (n == m_nameFilter && t == m_textFilter && !m_filterRunning)
        return;
    m_nameFilter = n;
    m_textFilter = t;
    runFilter();
}

void MessageLogModel::runFilter()
{
    const quint64 generation = ++m_filterGeneration;
    if (!isFiltering()) {
        // Every message: no matching to do.
        beginResetModel();
        m_rows.clear();
        for (qsizetype i = 0; i < m_count; ++i)
            m_rows.push_back(m_firstSeq + quint64(i));
        endResetModel();
        m_filterRunning = false;
        Q_EMIT filterApplied();
        scheduleFlush();
        Q_EMIT countsChanged();
        return;
    }
    // The ring does not change while the filter runs (batches wait), so a copy of it (shared
    // bytes, no deep copy) is matched on a pool thread.
    m_filterRunning = true;
    m_flushTimer->stop();
    struct Job
    {
        std::vector<LoggedMessage> messages;
        quint64 firstSeq = 0;
        QByteArray name;
        QByteArray text;
        std::vector<quint64> rows;
    };
    auto job = std::make_shared<Job>();
    job->messages.reserve(size_t(m_count));
    for (qsizetype i = 0; i < m_count; ++i)
        job->messages.push_back(bySeq(m_firstSeq + quint64(i)));
    job->firstSeq = m_firstSeq;
    job->name = m_nameFilter;
    job->text = m_textFilter;
    runOffThread(
        this,
        [job] {
            const QByteArrayMatcher name(job->name);
            const QByteArrayMatcher text(job->text);
            for (size_t i = 0; i < job->messages.size(); ++i) {
                const LoggedMessage &m = job->messages[i];
                bool pass =
                    m.kind == LoggedMessage::Kind::Gap || m.kind == LoggedMessage::Kind::Note;
                if (!pass) {
                    pass = (job->name.isEmpty() || name.indexIn(m.name) >= 0)
                           && (job->text.isEmpty() || text.indexIn(m.payload) >= 0
                               || text.indexIn(m.name) >= 0 || text.indexIn(m.origin) >= 0);
                }
                if (pass)
                    job->rows.push_back(job->firstSeq + i);
            }
            job->messages.clear(); // the shared bytes are released on this thread, not the GUI's
        },
        [this, job, generation] {
            if (generation != m_filterGeneration)
                return; // cleared, or another filter since
            beginResetModel();
            m_rows.assign(job->rows.begin(), job->rows.end());
            endResetModel();
            m_filterRunning = false;
            Q_EMIT filterApplied();
            flush();
        });
}

void MessageLogModel::clear()
{
    beginResetModel();
    m_ring.assign(size_t(m_capacity), LoggedMessage());
    m_firstSeq += quint64(m_count);
    m_head = 0;
    m_count = 0;
    m_bytes = 0;
    m_rows.clear();
    m_incoming.clear();
    m_received = 0;
    m_evicted = 0;
    m_lost = 0;
    m_gaps = 0;
    ++m_filterGeneration; // a filter still running answers for messages that are gone
    m_filterRunning = false;
    endResetModel();
    Q_EMIT countsChanged();
}

const LoggedMessage *MessageLogModel::messageAt(int row) const
{
    if (row < 0 || row >= int(m_rows.size()))
        return nullptr;
    return &bySeq(m_rows[size_t(row)]);
}

MessageLogModel::ExportRows MessageLogModel::exportRows(bool visibleOnly) const
{
    ExportRows out;
    out.monitor = m_mode == Mode::Monitor;
    if (visibleOnly) {
        out.rows.reserve(m_rows.size());
        for (quint64 seq : m_rows)
            out.rows.push_back(bySeq(seq));
    } else {
        out.rows.reserve(size_t(m_count) + m_incoming.size());
        for (qsizetype i = 0; i < m_count; ++i)
            out.rows.push_back(bySeq(m_firstSeq + quint64(i)));
        out.rows.insert(out.rows.end(), m_incoming.begin(), m_incoming.end());
    }
    return out;
}

qint64 MessageLogModel::writeExport(const ExportRows &rows, QIODevice *device, ExportFormat format)
{
    const bool monitor = rows.monitor;
    if (format == ExportFormat::Csv) {
        device->write(monitor ? "time,kind,command,client,db,arguments\r\n"
                              : "time,kind,channel,pattern,size,payload\r\n");
    }
    qint64 written = 0;
    for (const LoggedMessage &m : rows.rows) {
        if (format == ExportFormat::JsonLines) {
            nlohmann::json line{{"time", timeText(m.timeUs, true).toStdString()},
                                {"time_us", m.timeUs},
                                {"kind", kindName(m.kind).toStdString()}};
            if (monitor && m.kind == LoggedMessage::Kind::Command) {
                line["command"] = bytesJson(m.name);
                line["client"] = bytesJson(m.origin);
                line["db"] = m.db;
                line["arguments"] = bytesJson(m.payload);
            } else if (m.kind == LoggedMessage::Kind::Message) {
                line["channel"] = bytesJson(m.name);
                line["pattern"] = m.origin.isEmpty() ? nlohmann::json() : bytesJson(m.origin);
                line["payload"] = bytesJson(m.payload);
            } else {
                line["text"] = bytesJson(m.payload);
            }
            device->write(connectors::jsonToBytes(line) + '\n');
        } else {
            QByteArray row = timeText(m.timeUs, true).toUtf8() + ',' + kindName(m.kind) + ','
                             + csvField(m.name) + ',' + csvField(m.origin) + ','
                             + (monitor ? (m.db >= 0 ? QByteArray::number(m.db) : QByteArray())
                                        : QByteArray::number(m.payload.size()))
                             + ',' + csvField(m.payload) + "\r\n";
            device->write(row);
        }
        ++written;
    }
    return written;
}

int MessageLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MessageLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MessageLogModel::data(const QModelIndex &index, int role) const
{
    const LoggedMessage *m = index.isValid() ? messageAt(index.row()) : nullptr;
    if (!m)
        return {};
    const bool special =
        m->kind == LoggedMessage::Kind::Gap || m->kind == LoggedMessage::Kind::Note;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return timeText(m->timeUs, false);
        case NameColumn:
            if (special)
                return m->kind == LoggedMessage::Kind::Gap ? tr("— gap —") : tr("— note —");
            return connectors::ReplyFormatter::escapeBytes(m->name, false);
        case OriginColumn:
            return connectors::ReplyFormatter::escapeBytes(m->origin, false);
        case NumberColumn:
            if (special)
                return {};
            if (m_mode == Mode::Monitor)
                return m->db >= 0 ? QVariant(m->db) : QVariant();
            return QLocale().toString(m->payload.size());
        case PayloadColumn: {
            if (special)
                return QString::fromUtf8(m->payload);
            if (m_mode == Mode::Monitor)
                return previewText(m->payload);
            // Rows on screen are painted again and again: a kombu envelope is decoded once.
            const quint64 seq = m_rows[size_t(index.row())];
            if (const QString *cached = m_previews.object(seq))
                return *cached;
            const QString summary = envelopeSummary(m->payload);
            const QString text =
                summary.isEmpty() ? previewText(m->payload)
                                  : QStringLiteral("⟨%1⟩ %2").arg(summary, previewText(m->payload));
            m_previews.insert(seq, new QString(text));
            return text;
        }
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == TimeColumn)
            return timeText(m->timeUs, true);
        if (special)
            return QString::fromUtf8(m->payload);
        return {};
    case Qt::ForegroundRole:
        if (m->kind == LoggedMessage::Kind::Gap)
            return QBrush(toneColor(Tone::Error));
        if (m->kind == LoggedMessage::Kind::Note)
            return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == NumberColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case PayloadRole:
        return m->payload;
    case NameRole:
        return m->name;
    case OriginRole:
        return m->origin;
    case TimeUsRole:
        return m->timeUs;
    case KindRole:
        return int(m->kind);
    case SeqRole:
        return m_rows[size_t(index.row())];
    }
    return {};
}

QVariant MessageLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    const bool monitor = m_mode == Mode::Monitor;
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case NameColumn:
        return monitor ? tr("Command") : tr("Channel");
    case OriginColumn:
        return monitor ? tr("Client") : tr("Pattern");
    case NumberColumn:
        return monitor ? tr("DB") : tr("Size");
    case PayloadColumn:
        return monitor ? tr("Arguments") : tr("Payload");
    }
    return {};
}

} // namespace bd::models

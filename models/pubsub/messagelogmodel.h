#pragma once

#include "redis/pushmessage.h"

#include <QAbstractTableModel>
#include <QByteArray>
#include <QCache>

#include <deque>
#include <vector>

class QIODevice;
class QTimer;

namespace bd::models {

// One row of a message log: a pub/sub message, a MONITOR command, or a gap (the connection
// was down: whatever was published meanwhile was not received). Raw bytes only; text is
// built when a row is painted.
struct LoggedMessage
{
    enum class Kind : quint8 { Message, Command, Gap, Note };
    Kind kind = Kind::Message;
    qint32 db = -1;     // Command: the db it ran in
    qint64 timeUs = 0;  // µs since the epoch: when received (Message) or run (Command)
    QByteArray name;    // Message: channel; Command: command name
    QByteArray origin;  // Message: matching pattern (empty for a channel); Command: client
    QByteArray payload; // Message: payload; Command: its arguments as the server quoted them;
                        // Gap and Note: the text to show
};

// The live message table of the Pub/Sub page and of the profiler: a bounded ring.
//
// Messages arrive in batches (append) and are applied on a 50 ms timer with one
// beginRemoveRows for what the ring evicts and one beginInsertRows for what the filter lets
// through. The ring holds at most capacity() messages and maxBytes() bytes; eviction is O(1)
// per message and counted (evictedCount), never hidden. Rows are the ring's messages that
// pass the filter, oldest first.
//
// Paused, the view is frozen: batches wait (counted in heldCount, at most capacity() of them)
// and go in when it resumes. A new filter is matched against the ring on a pool thread; the
// model is reset with the result, and batches wait meanwhile.
class MessageLogModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum class Mode { PubSub, Monitor };
    // PubSub: Time, Channel, Pattern, Size, Payload. Monitor: Time, Command, Client, DB, Arguments.
    enum Column { TimeColumn, NameColumn, OriginColumn, NumberColumn, PayloadColumn, ColumnCount };
    enum Role { PayloadRole = Qt::UserRole, NameRole, OriginRole, TimeUsRole, KindRole, SeqRole };
    enum class ExportFormat { JsonLines, Csv };

    static constexpr qsizetype kDefaultCapacity = 100000;
    static constexpr qint64 kDefaultMaxBytes = 256LL * 1024 * 1024;

    explicit MessageLogModel(Mode mode, QObject *parent = nullptr);

    Mode mode() const { return m_mode; }

    // Messages (PubSub: Message and PatternMessage; Monitor: Monitor lines) join the batch;
    // other kinds are ignored. lost: messages the connection dropped before they got here.
    void appendPushMessages(const std::deque<connectors::PushMessage> &messages, quint64 lost = 0);
    void append(LoggedMessage message);
    // The row a push message makes in this mode (false: it makes none: a subscription
    // confirmation on the Pub/Sub page, a message in the profiler, ...).
    static bool fromPush(const connectors::PushMessage &push, Mode mode, LoggedMessage *out);
    // A row saying the connection was down from fromMs to toMs (ms since the epoch).
    void addGap(qint64 fromMs, qint64 toMs, const QString &why);
    void addNote(const QString &text);
    // Applies what waits now (normally done by the timer).
    void flush();

    void setCapacity(qsizetype messages);
    qsizetype capacity() const { return m_capacity; }
    void setMaxBytes(qint64 bytes);
    qint64 maxBytes() const { return m_maxBytes; }

    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    // name: part of the channel (or command); text: part of the payload, channel, pattern or
    // client. Both empty: every message. Matching is byte-exact (case-sensitive).
    void setFilter(const QString &name, const QString &text);
    bool isFiltering() const { return !m_nameFilter.isEmpty() || !m_textFilter.isEmpty(); }
    bool isApplyingFilter() const { return m_filterRunning; }
    void clear();

    quint64 receivedCount() const { return m_received; } // every message given, held ones too
    quint64 evictedCount() const { return m_evicted; }   // gone from the ring (or from the hold)
    quint64 lostCount() const { return m_lost; }         // dropped before the model saw them
    qsizetype heldCount() const { return qsizetype(m_incoming.size()); }
    qsizetype storedCount() const { return m_count; }
    qint64 storedBytes() const { return m_bytes; }
    quint64 gapCount() const { return m_gaps; }

    // The message of a row.
    const LoggedMessage *messageAt(int row) const;

    // What an export writes: a copy of the rows (their bytes shared, not copied), taken on the
    // GUI thread in a few ms for 100,000 rows, written anywhere after.
    struct ExportRows
    {
        std::vector<LoggedMessage> rows;
        bool monitor = false;
    };
    // The rows shown (visibleOnly) or the whole capture (the ring and what waits to go in).
    ExportRows exportRows(bool visibleOnly) const;
    // Writes them; any thread. Returns the number written.
    static qint64 writeExport(const ExportRows &rows, QIODevice *device, ExportFormat format);
    qint64 exportTo(QIODevice *device, ExportFormat format, bool visibleOnly) const
    {
        return writeExport(exportRows(visibleOnly), device, format);
    }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

Q_SIGNALS:
    // Counts changed (after a flush, a clear, a filter): at most once per flush.
    void countsChanged();
    void filterApplied();

private:
    const LoggedMessage &bySeq(quint64 seq) const;
    bool passes(const LoggedMessage &m) const;
    void evictOldest(qsizetype n);
    void scheduleFlush();
    void runFilter();
    static qint64 weight(const LoggedMessage &m);

    Mode m_mode;
    std::vector<LoggedMessage> m_ring; // m_capacity slots
    qsizetype m_capacity = kDefaultCapacity;
    qint64 m_maxBytes = kDefaultMaxBytes;
    qsizetype m_head = 0;   // slot of the oldest message
    qsizetype m_count = 0;  // messages in the ring
    quint64 m_firstSeq = 0; // sequence number of the oldest message (m_head)
    qint64 m_bytes = 0;
    std::deque<quint64> m_rows; // sequence numbers of the rows, ascending
    std::deque<LoggedMessage> m_incoming;
    QByteArray m_nameFilter;
    QByteArray m_textFilter;
    bool m_paused = false;
    bool m_filterRunning = false;
    quint64 m_filterGeneration = 0;
    quint64 m_received = 0;
    quint64 m_evicted = 0;
    quint64 m_lost = 0;
    quint64 m_gaps = 0;
    QTimer *m_flushTimer = nullptr; // Owned.
    // Payload column texts of rows lately painted, by sequence number (an envelope is decoded
    // for its summary once, not on every repaint).
    mutable QCache<quint64, QString> m_previews{2000};
};

} // namespace bd::models

#pragma once

#include <QAbstractTableModel>
#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QSet>

#include <vector>

class QTimer;

namespace bd::models {

// Traffic per channel (Pub/Sub page) or per command (profiler): messages counted since the
// capture started, the current rate, and the last minute of rates for a small graph. On the
// Pub/Sub page the rows also hold the server's active channels (PUBSUB CHANNELS / NUMSUB),
// whether or not a message was seen on them.
//
// Counting is cheap (a hash lookup); rates are computed once a second (tick) with one
// dataChanged for every row. Rows are bounded: past kMaxRows names (a pattern can match a
// channel per key), the rest is counted in one "other" row.
class TrafficStatsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum class Mode { Channels, Commands };
    enum Column {
        NameColumn,
        SubscribersColumn,
        TotalColumn,
        RateColumn,
        GraphColumn,
        ColumnCount
    };
    enum Role {
        RawValueRole = Qt::UserRole,
        NameBytesRole,
        HistoryRole,
        SubscribedRole,
        OtherRole
    };

    static constexpr int kHistoryPoints = 60; // one a second
    static constexpr int kMaxRows = 5000;

    explicit TrafficStatsModel(Mode mode, QObject *parent = nullptr);

    void count(const QByteArray &name, qint64 messages = 1);
    // Rates from the counts since the last tick; elapsedMs < 0: measured. Runs every second
    // on its own while counting goes on.
    void tick(qint64 elapsedMs = -1);

    // The server's channels and their subscriber counts; channels that left the server keep
    // their row (and counts) with no subscriber count.
    void setServerChannels(const QList<QPair<QByteArray, qint64>> &channels);
    // Channels and patterns this capture is subscribed to (shown in bold, always listed).
    void setSubscriptions(const QSet<QByteArray> &names);
    // Forgets counts and rates (and rows that are neither subscribed nor on the server).
    void clearCounts();

    qint64 total() const { return m_total; }
    qint64 totalFor(const QByteArray &name) const;
    double rateFor(const QByteArray &name) const;
    double totalRate() const { return m_totalRate; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

Q_SIGNALS:
    void ticked();

private:
    struct Row
    {
        QByteArray name;
        bool other = false;
        bool subscribed = false;
        bool onServer = false;
        qint64 subscribers = -1; // NUMSUB; -1: not known
        qint64 total = 0;
        qint64 totalAtTick = 0;
        double rate = 0;
        std::vector<float> history; // oldest first, at most kHistoryPoints
    };
    int rowFor(const QByteArray &name, bool create);

    Mode m_mode;
    std::vector<Row> m_rows;
    QHash<QByteArray, int> m_rowOf;
    int m_otherRow = -1;
    qint64 m_total = 0;
    qint64 m_totalAtTick = 0;
    double m_totalRate = 0;
    QElapsedTimer m_sinceTick;
    QTimer *m_tickTimer = nullptr; // Owned.
};

} // namespace bd::models

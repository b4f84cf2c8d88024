#pragma once

#include "redis/keydetails.h"

#include <QPersistentModelIndex>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTimer;
class QTreeView;

namespace bd::models {
class KeyTreeModel;
}

namespace bd::ui {

class KeyDetailsPane;

// The Keys page: the keyspace as a namespace tree (or a flat list) that fills while the scan
// runs, with each visible key's type, TTL (counting down) and memory.
//
// The page never talks to Redis. It asks through signals (scanRequested, factsWanted) and
// the app layer answers into the model and through setScanProgress/setScanFinished.
// Per-key facts are asked only for rows on screen, after scrolling settles; the TTL column
// repaints the visible rows once a second and nothing else.
class KeysPage : public QWidget
{
    Q_OBJECT

public:
    explicit KeysPage(models::KeyTreeModel *model, QWidget *parent = nullptr);

    QTreeView *view() const { return m_view; }
    KeyDetailsPane *details() const { return m_details; }
    QLineEdit *patternEdit() const { return m_pattern; }
    QCheckBox *liveCheckBox() const { return m_live; }
    QPushButton *newKeyButton() const { return m_newKey; }
    void setReadOnly(bool readOnly);
    // Scrolls to a key's row and makes it current without reopening it (the caller shows it).
    void revealKey(const QModelIndex &row);
    QPushButton *enableKeyEventsButton() const { return m_enableEvents; }
    QString liveStatusText() const;
    QString progressText() const;
    // The SCAN MATCH pattern for what the operator typed: a glob as it is, plain text as *text*.
    static QByteArray scanPattern(const QString &filter);
    // The substring the loaded keys are narrowed to for what was typed: plain text; none for a
    // glob (the server matches those).
    static QByteArray localFilterText(const QString &filter);
    // "120 of 5,000 loaded keys contain …", empty without a local filter.
    QString filterNoteText() const;

    void setScanProgress(qint64 found, qint64 examined, qint64 databaseSize);
    void setScanFinished(const QString &summary, bool ok);
    void setMemoryNote(const QString &note);
    // Databases to offer, with their key counts (-1: unknown, e.g. INFO denied).
    void setDatabases(const QList<QPair<int, qint64>> &databases, int current);
    // Live mode: what it is doing ("following: 12 changes", "reconnecting: changes missed").
    void setLiveStatus(const QString &text, bool problem);
    // The server does not publish the key events live mode needs: offer to set
    // notify-keyspace-events from `current` to `proposed` (after a confirmation naming both).
    void offerKeyEvents(const QByteArray &current, const QByteArray &proposed, bool readOnly);
    void hideKeyEventsOffer();
    // Whether the tree follows keyspace events.
    bool isLive() const;
    // Starts a scan with the current pattern, type and separator (as the Scan button does).
    void startScan();

Q_SIGNALS:
    // pattern: a glob for SCAN MATCH (empty = all); type: empty = all types.
    void scanRequested(const QByteArray &pattern, const QByteArray &type);
    void cancelRequested();
    // Keys on screen whose facts are missing; the rows are marked pending already.
    void factsWanted(const QList<QPersistentModelIndex> &keys);
    // Sorting by type, TTL or memory: the keys of the open folders whose facts are missing
    // (marked pending already); once they are in, the model is sorted again.
    void sortFactsWanted(const QList<QPersistentModelIndex> &keys);
    // The operator selected a key: show its details (the pane is already loading).
    void keyOpened(const QByteArray &key);
    // Bulk delete / TTL, with a pattern to start from (the selected folder, or the filter).
    void bulkRequested(const QString &pattern);
    void databaseRequested(int db);
    // From the New key dialog: create key holding item (never overwriting), with a TTL if > 0.
    void newKeyRequested(const QByteArray &key, const bd::connectors::NewItem &item, qint64 ttlMs);
    void liveToggled(bool on);
    // Confirmed by the operator: CONFIG SET notify-keyspace-events value.
    void keyEventsChangeRequested(const QByteArray &value);

private:
    void requestVisibleFacts();
    void requestSortFacts();
    void scheduleFacts();
    void applyLocalFilter();
    void updateFilterNote();

    models::KeyTreeModel *m_model; // Not owned.
    QTreeView *m_view = nullptr;
    KeyDetailsPane *m_details = nullptr;
    QLineEdit *m_pattern = nullptr;
    QComboBox *m_type = nullptr;
    QComboBox *m_database = nullptr;
    QLineEdit *m_separator = nullptr;
    QPushButton *m_scan = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_bulk = nullptr;
    QPushButton *m_newKey = nullptr;
    QLabel *m_progress = nullptr;
    QLabel *m_memoryNote = nullptr;
    QLabel *m_filterNote = nullptr;
    QTimer *m_filterDelay = nullptr; // Owned: filters once typing pauses.
    bool m_expandFiltered = false;   // open the folders once the filtered keys are sorted
    QCheckBox *m_live = nullptr;
    QLabel *m_liveStatus = nullptr;
    QPushButton *m_enableEvents = nullptr;
    QByteArray m_proposedEvents;
    QTimer *m_tick = nullptr;       // Owned: repaints visible TTLs each second.
    QTimer *m_factsDelay = nullptr; // Owned: asks for facts once scrolling settles.
};

} // namespace bd::ui

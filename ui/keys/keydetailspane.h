#pragma once

#include "redis/keydetails.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QStandardItemModel;
class QTableWidget;
class QTreeView;
class QTimer;

namespace bd::ui {

// The selected key: its facts, the first page of its value, and the actions on it. Actions
// that change data ask first (naming the key) and are disabled on read-only profiles; the
// page never runs them itself, it asks through the signals below.
class KeyDetailsPane : public QWidget
{
    Q_OBJECT

public:
    explicit KeyDetailsPane(QWidget *parent = nullptr);
    ~KeyDetailsPane() override;

    void setReadOnly(bool readOnly);
    void showLoading(const QByteArray &key);
    void showDetails(const connectors::KeyDetails &details);
    void showMessage(const QString &text, bool error);
    // The next page of the value (from KeyInspector::loadMore): appended to the table.
    void appendPage(const connectors::KeyDetails &page);
    // The whole string value (after "Load all"): replaces the preview.
    void showFullValue(const QByteArray &key, const QByteArray &bytes);
    // Saves the selected string value to path (what the Save button's file dialog calls).
    void saveTo(const QString &path);
    QPushButton *loadAllButton() const { return m_loadAll; }
    QPushButton *saveButton() const { return m_save; }
    // Values up to this size can be loaded whole into the pane; bigger ones only saved.
    static constexpr qint64 kMaxLoadAllBytes = 16 * 1024 * 1024;
    // Values up to this size are formatted at once; bigger ones on a pool thread.
    static constexpr qint64 kFormatInlineBytes = 256 * 1024;
    const connectors::KeyDetails &currentDetails() const { return m_details; }
    void clear();
    QByteArray currentKey() const { return m_key; }

    QPlainTextEdit *valueText() const { return m_text; }
    QTreeView *valueTree() const { return m_tree; }
    QComboBox *modeBox() const { return m_mode; }
    QString noteText() const;
    QTableWidget *valueTable() const { return m_table; }
    QString summaryText() const;
    QPushButton *addItemButton() const { return m_addItem; }
    QPushButton *removeItemButton() const { return m_removeItem; }
    QString groupsText() const;

Q_SIGNALS:
    void refreshRequested(const QByteArray &key);
    void loadAllRequested(const QByteArray &key);
    void saveRequested(const QByteArray &key, const QString &path);
    void moreRequested(const QByteArray &key);
    void ttlRequested(const QByteArray &key, qint64 milliseconds);         // confirmed
    void persistRequested(const QByteArray &key);                          // confirmed
    void deleteRequested(const QByteArray &key);                           // confirmed
    void renameRequested(const QByteArray &key, const QByteArray &newKey); // never overwrites
    // An edited cell of the value table: hash field value, list element (by index), zset score.
    void hashFieldEdited(const QByteArray &key, const QByteArray &field, const QByteArray &value);
    void listElementEdited(const QByteArray &key, qint64 index, const QByteArray &value);
    void zsetScoreEdited(const QByteArray &key, const QByteArray &member, const QByteArray &score);
    // Add a field / element / member / entry (never overwrites: see keyedits).
    void itemAddRequested(const QByteArray &key, const bd::connectors::NewItem &item);
    // Confirmed: remove these fields / members / stream ids; for a list, {"first"} or {"last"}.
    void itemsRemoveRequested(const QByteArray &key, const QByteArray &type,
                              const QList<QByteArray> &items);
    // Show the key's JSON records on the Data page (type: "string" or "hash").
    void openAsDatasetRequested(const QByteArray &key, const QByteArray &type);

private:
    void setNote(const QString &note);
    void renderString();
    struct Rendered;
    void showRendered(const std::shared_ptr<Rendered> &rendered);
    void askTtl();
    void askDelete();
    void askRename();
    void askAddItem();
    void askRemoveItems();
    void refreshSummary();
    void updateActions();
    void onCellEdited(int row, int column);
    void fillTable(int fromRow);
    void updatePageNote();

    QByteArray m_key;
    connectors::KeyDetails m_details;
    bool m_readOnly = false;
    bool m_filling = false; // the table is being filled, not edited
    QLabel *m_title = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_note = nullptr;
    QLabel *m_message = nullptr;
    QComboBox *m_mode = nullptr;
    QStackedWidget *m_stack = nullptr;
    QPlainTextEdit *m_text = nullptr;
    QTableWidget *m_table = nullptr;
    QTreeView *m_tree = nullptr; // JSON and MessagePack values as a tree
    std::unique_ptr<QStandardItemModel> m_treeModel;
    quint64 m_renderGeneration = 0; // a formatting result for an older render is dropped
    QPushButton *m_more = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_refresh = nullptr;
    QPushButton *m_ttl = nullptr;
    QPushButton *m_persist = nullptr;
    QPushButton *m_openDataset = nullptr;
    QPushButton *m_delete = nullptr;
    QPushButton *m_rename = nullptr;
    QPushButton *m_loadAll = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_addItem = nullptr;
    QPushButton *m_removeItem = nullptr;
    QLabel *m_groups = nullptr; // a stream's consumer groups
    qint64 m_expiresAtMs = -1;  // absolute; the summary's TTL counts down from it
    QTimer *m_tick = nullptr;   // Owned.
};

} // namespace bd::ui

#pragma once

#include "common/tones.h"
#include "data/datasetcatalog.h"

#include <QDateTime>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTableWidget;
class QTimer;

namespace bd::models {
class DatasetTableModel;
}

namespace bd::ui {

// The Data page: the business records the services cache, as a table. Datasets on the left;
// for the one chosen, how fresh its cache is (state, TTL counting down, last change seen,
// last refresh and its outcome), Refresh (sends the dataset's refresh task), the records
// searchable (column:text for one column), grouped by a column with counts, compared with an
// earlier read (added, changed and removed records marked; "Only changes"), a record's
// fields and JSON, and export to CSV or JSON.
class DataPage : public QWidget
{
    Q_OBJECT

public:
    explicit DataPage(models::DatasetTableModel *model, QWidget *parent = nullptr);

    void setDatasets(const QList<connectors::DatasetDefinition> &datasets, const QString &current);
    void showDefinition(const connectors::DatasetDefinition &definition);
    QString currentDataset() const;
    void setReadOnly(bool readOnly);

    // The key's facts as last read; the state and countdown follow the clock from here.
    void setKeyFacts(bool missing, const QDateTime &expiresAt, qint64 expectedTtl);
    void setLastChange(const QDateTime &at, const QString &how);
    // The last refresh: what happened, and the traceback when it failed.
    void setRefreshOutcome(const QString &text, models::Tone tone, const QString &traceback = {});
    void setRefreshBusy(bool busy);
    void setRefreshOutcomeTip(const QString &tip);
    // What is wrong with the read (nothing: hidden); tooLarge offers to raise the limit.
    void setProblem(const QString &text, models::Tone tone, bool tooLarge = false);
    // The reads kept for this dataset, oldest first: the one shown, and the one it is
    // compared with (-1: none).
    void setSnapshots(const QStringList &labels, int shown, int compared);
    void setStatus(const QString &text, bool problem);

Q_SIGNALS:
    void datasetChosen(const QString &name);
    void reloadRequested();
    void refreshRequested();
    void addRequested();
    void editRequested(const QString &name);
    void removeRequested(const QString &name);
    void compareChosen(int snapshot); // -1: none
    void showChosen(int snapshot);
    void raiseLimitRequested();
    void exportRequested(const QString &path, bool json, bool shownOnly);
    // The page is on screen for the first time: nothing is read or watched before.
    void firstShown();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void applyView();
    void updateCounts();
    void updateFreshness();
    void updateGroups();
    void showRecord();
    void chooseExport(bool json, bool shownOnly);

    models::DatasetTableModel *m_model; // Not owned.
    QListWidget *m_datasets = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_remove = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_description = nullptr;
    QLabel *m_state = nullptr;
    QLabel *m_stateDetail = nullptr;
    QLabel *m_lastChange = nullptr;
    QLabel *m_refreshOutcome = nullptr;
    QPushButton *m_traceback = nullptr;
    QPushButton *m_reload = nullptr;
    QPushButton *m_refresh = nullptr;
    QLabel *m_problem = nullptr;
    QPushButton *m_raiseLimit = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_groupBy = nullptr;
    QCheckBox *m_onlyChanges = nullptr;
    QComboBox *m_show = nullptr;
    QComboBox *m_compare = nullptr;
    QPushButton *m_export = nullptr;
    QLabel *m_counts = nullptr;
    QTableWidget *m_groups = nullptr;
    QTableView *m_table = nullptr;
    QTableWidget *m_form = nullptr;
    QPlainTextEdit *m_json = nullptr;
    QLabel *m_status = nullptr;
    QTimer *m_searchDelay = nullptr;
    QTimer *m_clock = nullptr;

    bool m_shownOnce = false;
    bool m_readOnly = false;
    bool m_hasRefreshTask = false;
    bool m_refreshBusy = false;
    QString m_tracebackText;
    // Key facts for the freshness that follows the clock.
    bool m_missing = false;
    bool m_known = false;
    QDateTime m_expiresAt;
    qint64 m_expectedTtl = 0;
    QDateTime m_lastChangeAt;
    QString m_selectedGroup;
    bool m_groupSelected = false;
};

} // namespace bd::ui

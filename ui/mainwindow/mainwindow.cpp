#include "mainwindow.h"

#include "profiles/profileitemdelegate.h"
#include "profiles/profilelistmodel.h"
#include "session/sessionstatus.h"
#include "session/sessionstatusbar.h"

#include <QAction>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

namespace bd::ui {

using connectors::ConnectionState;
using models::ProfileListModel;

MainWindow::MainWindow(models::ProfileListModel *profiles, QWidget *parent)
    : QMainWindow(parent)
    , m_profiles(profiles)
{
    setWindowTitle(tr("Brokerdesk"));
    resize(1200, 760);

    m_list = new QListView(this);
    m_list->setObjectName(QStringLiteral("profileList"));
    m_list->setModel(m_profiles);
    m_list->setItemDelegate(new ProfileItemDelegate(m_list));
    m_list->setUniformItemSizes(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_list->setMinimumWidth(220);

    m_welcome = new QLabel(tr("<h2>Brokerdesk</h2>"
                              "<p>Pick a connection on the left and press <b>Connect</b> "
                              "(or double-click it).</p>"
                              "<p><b>New profile</b> takes a URL as Celery writes it: "
                              "<code>redis://user:password@host:6379/0</code>, "
                              "<code>rediss://…</code>, <code>unix:///path</code>, "
                              "or reads <code>CELERY_BROKER_URL</code>.</p>"),
                           this);
    static_cast<QLabel *>(m_welcome)->setAlignment(Qt::AlignCenter);
    static_cast<QLabel *>(m_welcome)->setWordWrap(true);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_welcome);

    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_list);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({260, 940});
    setCentralWidget(splitter);

    auto *newAction =
        new QAction(QIcon::fromTheme(QStringLiteral("document-new")), tr("&New profile…"), this);
    newAction->setShortcut(QKeySequence::New);
    m_editAction =
        new QAction(QIcon::fromTheme(QStringLiteral("document-properties")), tr("&Edit…"), this);
    m_duplicateAction =
        new QAction(QIcon::fromTheme(QStringLiteral("edit-copy")), tr("D&uplicate"), this);
    m_deleteAction =
        new QAction(QIcon::fromTheme(QStringLiteral("edit-delete")), tr("&Delete…"), this);
    m_connectAction =
        new QAction(QIcon::fromTheme(QStringLiteral("network-connect")), tr("&Connect"), this);
    m_connectAction->setShortcut(Qt::CTRL | Qt::Key_Return);
    m_disconnectAction = new QAction(QIcon::fromTheme(QStringLiteral("network-disconnect")),
                                     tr("D&isconnect"), this);
    auto *quitAction = new QAction(tr("&Quit"), this);
    quitAction->setShortcut(QKeySequence::Quit);

    auto *toolbar = addToolBar(tr("Profiles"));
    toolbar->setObjectName(QStringLiteral("profilesToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addActions({newAction, m_editAction, m_connectAction, m_disconnectAction});

    QMenu *fileMenu = menuBar()->addMenu(tr("&Connection"));
    fileMenu->addActions({newAction, m_editAction, m_duplicateAction, m_deleteAction});
    fileMenu->addSeparator();
    fileMenu->addActions({m_connectAction, m_disconnectAction});
    fileMenu->addSeparator();
    auto *settingsAction = new QAction(tr("&Settings…"), this);
    settingsAction->setObjectName(QStringLiteral("settingsAction"));
    settingsAction->setShortcut(QKeySequence::Preferences);
    connect(settingsAction, &QAction::triggered, this, &MainWindow::settingsRequested);
    fileMenu->addAction(settingsAction);
    fileMenu->addSeparator();
    fileMenu->addAction(quitAction);
    m_list->addActions(
        {m_connectAction, m_disconnectAction, m_editAction, m_duplicateAction, m_deleteAction});

    m_statusBar = new SessionStatusBar(this);
    statusBar()->addPermanentWidget(m_statusBar, 1);

    connect(newAction, &QAction::triggered, this, &MainWindow::newProfileRequested);
    connect(m_editAction, &QAction::triggered, this,
            [this] { Q_EMIT editProfileRequested(currentProfileId()); });
    connect(m_duplicateAction, &QAction::triggered, this,
            [this] { Q_EMIT duplicateProfileRequested(currentProfileId()); });
    connect(m_deleteAction, &QAction::triggered, this,
            [this] { Q_EMIT deleteProfileRequested(currentProfileId()); });
    connect(m_connectAction, &QAction::triggered, this,
            [this] { Q_EMIT connectRequested(currentProfileId()); });
    connect(m_disconnectAction, &QAction::triggered, this,
            [this] { Q_EMIT disconnectRequested(currentProfileId()); });
    connect(quitAction, &QAction::triggered, this, &QWidget::close);
    connect(m_list, &QListView::activated, this, [this](const QModelIndex &index) {
        const QString id = index.data(ProfileListModel::ProfileIdRole).toString();
        if (m_views.contains(id))
            showCurrent();
        else
            Q_EMIT connectRequested(id);
    });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        updateActions();
        showCurrent();
    });
    connect(m_profiles, &QAbstractItemModel::dataChanged, this, &MainWindow::updateActions);
    connect(m_profiles, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateActions);
    connect(m_profiles, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateActions);
    connect(m_profiles, &QAbstractItemModel::modelReset, this, &MainWindow::updateActions);
    updateActions();
}

QString MainWindow::currentProfileId() const
{
    return m_list->currentIndex().data(ProfileListModel::ProfileIdRole).toString();
}

void MainWindow::selectProfile(const QString &id)
{
    const int row = m_profiles->rowOf(id);
    if (row >= 0)
        m_list->setCurrentIndex(m_profiles->index(row));
}

void MainWindow::addSessionView(const QString &profileId, QWidget *view,
                                models::SessionStatus *status)
{
    removeSessionView(profileId);
    m_views.insert(profileId, view);
    m_statuses.insert(profileId, status);
    m_stack->addWidget(view);
    showCurrent();
    updateActions();
}

void MainWindow::removeSessionView(const QString &profileId)
{
    QWidget *view = m_views.take(profileId);
    m_statuses.remove(profileId);
    if (view) {
        m_stack->removeWidget(view);
        view->deleteLater();
    }
    showCurrent();
    updateActions();
}

void MainWindow::showMessage(const QString &text, int timeoutMs)
{
    statusBar()->showMessage(text, timeoutMs);
}

void MainWindow::showCurrent()
{
    const QString id = currentProfileId();
    QWidget *view = m_views.value(id);
    m_stack->setCurrentWidget(view ? view : m_welcome);
    m_statusBar->setStatus(m_statuses.value(id));
    const auto *profile = m_profiles->find(id);
    setWindowTitle(profile ? tr("%1 — Brokerdesk").arg(profile->name) : tr("Brokerdesk"));
    if (view)
        view->setFocus();
}

void MainWindow::updateActions()
{
    const QString id = currentProfileId();
    const bool has = !id.isEmpty();
    const bool open = m_views.contains(id);
    m_editAction->setEnabled(has);
    m_duplicateAction->setEnabled(has);
    m_deleteAction->setEnabled(has);
    m_connectAction->setEnabled(has && !open);
    m_disconnectAction->setEnabled(open);
}

} // namespace bd::ui

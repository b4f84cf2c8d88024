#pragma once

// Helpers of the GUI tests: a Session shown offscreen, and answers to confirmation boxes.

#include "gui/session.h"
#include "gui/translations.h"
#include "redis/redisurl.h"

#include <QAbstractButton>
#include <QCoreApplication>
#include <QMessageBox>
#include <QTest>
#include <QWidget>

#include <memory>

namespace bd {

// A Session on the fixture's server with its view shown, as the main window would hold it.
struct OpenSession
{
    std::unique_ptr<app::Session> session;
    std::unique_ptr<QWidget> view; // destroyed first, as the window does

    app::Session *operator->() const { return session.get(); }
};

inline OpenSession openSession(const QString &url, bool readOnly = false, QSize size = {1000, 700},
                               const connectors::CeleryProfileSettings &celery = {})
{
    connectors::ConnectionProfile profile =
        connectors::ConnectionProfile::create(QStringLiteral("test"));
    profile.celery = celery;
    profile.settings = connectors::RedisUrl::parse(url).settings;
    profile.settings.readOnly = readOnly;
    profile.transient = true;
    // The texts as the app shows them: "1 message", not "1 message(s)".
    static const bool translated =
        app::installTranslations(QCoreApplication::instance()) != nullptr;
    Q_UNUSED(translated);
    OpenSession open;
    open.session = std::make_unique<app::Session>(profile, profile.settings);
    open.view.reset(open.session->view());
    open.view->resize(size);
    open.view->show();
    open.session->start();
    return open;
}

inline QMessageBox *visibleBox(QWidget *parent)
{
    for (QMessageBox *box : parent->findChildren<QMessageBox *>()) {
        if (box->isVisible())
            return box;
    }
    return nullptr;
}

// Clicks the button of the visible confirmation box that has the given role.
inline void answer(QMessageBox *box, QMessageBox::ButtonRole role)
{
    for (QAbstractButton *b : box->buttons()) {
        if (box->buttonRole(b) == role) {
            b->click();
            return;
        }
    }
    QFAIL("no such button");
}

// A widget of the page by its object name. A missing one fails the test that asked, naming it;
// the test goes on with a stand-in of the type (never shown, never the page's), so it fails
// where it checks instead of crashing the whole suite on a null pointer.
template<typename T> inline T *child(QWidget *parent, const char *name)
{
    if (auto *w = parent->findChild<T *>(QString::fromLatin1(name)))
        return w;
    QTest::qFail(qPrintable(QStringLiteral("no %1 named %2")
                                .arg(QString::fromLatin1(T::staticMetaObject.className()),
                                     QString::fromLatin1(name))),
                 __FILE__, __LINE__);
    static T *const standIn = new T; // one per type, for the test program's life
    return standIn;
}

} // namespace bd

// brokerdesk: the desktop console. Composition root: options, secrets, the main window.
#include "allocator.h"
#include "celery/rediscelerybroker.h"
#include "mainwindow/mainwindow.h"
#include "mainwindowcontroller.h"
#include "profiles/secretstore.h"
#include "pubsubcontroller.h"
#include "queuescontroller.h"
#include "redis/redisurl.h"
#include "session.h"
#include "translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

#include <cstdio>

using namespace bd;

int main(int argc, char *argv[])
{
    app::configureAllocator();
    QApplication application(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Brokerdesk"));
    QApplication::setOrganizationName(QStringLiteral("Brokerdesk"));
    QApplication::setApplicationVersion(QStringLiteral(BROKERDESK_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("brokerdesk"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/brokerdesk/icons/brokerdesk.svg")));
    if (!app::installTranslations(&application))
        std::fprintf(stderr, "brokerdesk: %s is missing; counts show as \"item(s)\"\n",
                     app::kEnglishTranslation);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Brokerdesk: a console for Redis and Celery."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption connectOption(
        QStringLiteral("connect"),
        QStringLiteral("Open a connection to URL now (not saved as a profile)."),
        QStringLiteral("URL"));
    // Not "--name": Qt on X11 takes that one for itself (X resource name).
    const QCommandLineOption nameOption(QStringLiteral("profile-name"),
                                        QStringLiteral("Name for the --connect profile."),
                                        QStringLiteral("NAME"));
    const QCommandLineOption readOnlyOption(
        QStringLiteral("read-only"), QStringLiteral("Make the --connect profile read-only."));
    const QCommandLineOption profilesOption(
        QStringLiteral("profiles"), QStringLiteral("Profiles file to use instead of the default."),
        QStringLiteral("FILE"));
    const QCommandLineOption noKeychainOption(
        QStringLiteral("no-keychain"),
        QStringLiteral("Keep passwords in memory only; never use the OS keychain."));
    const QCommandLineOption subscribeOption(
        QStringLiteral("subscribe"),
        QStringLiteral(
            "Subscribe the --connect profile's Pub/Sub page to CHANNEL_OR_PATTERN (repeatable)."),
        QStringLiteral("CHANNEL_OR_PATTERN"));
    const QCommandLineOption queueOption(
        QStringLiteral("queue"),
        QStringLiteral(
            "Show the plain Redis list QUEUE on the --connect profile's Queues page, the first one "
            "open (repeatable)."),
        QStringLiteral("QUEUE"));
    parser.addOptions({connectOption, nameOption, readOnlyOption, profilesOption, noKeychainOption,
                       subscribeOption, queueOption});
    parser.process(application);

    connectors::SecretStore *secrets = nullptr;
    if (parser.isSet(noKeychainOption))
        secrets = new connectors::MemorySecretStore(&application);
    else
        secrets = new connectors::KeychainSecretStore(QStringLiteral("Brokerdesk"), &application);

    const connectors::ProfileStore store(parser.isSet(profilesOption)
                                             ? parser.value(profilesOption)
                                             : connectors::ProfileStore::defaultFilePath());
    app::MainWindowController controller(store, secrets);

    if (parser.isSet(connectOption)) {
        const connectors::RedisUrl url = connectors::RedisUrl::parse(parser.value(connectOption));
        if (!url.ok) {
            std::fprintf(stderr, "brokerdesk: bad --connect URL: %s\n", qPrintable(url.error));
            return 2;
        }
        connectors::ConnectionProfile profile = connectors::ConnectionProfile::create(
            parser.isSet(nameOption) ? parser.value(nameOption) : url.settings.endpoint());
        profile.settings = url.settings;
        profile.settings.password.clear();
        profile.settings.readOnly = parser.isSet(readOnlyOption) || url.settings.readOnly;
        const QString id = controller.addTransientProfile(profile, url.settings.password);
        controller.connectProfile(id);
        if (app::Session *session = controller.session(id);
            session && parser.isSet(subscribeOption)) {
            QList<QByteArray> names;
            for (const QString &name : parser.values(subscribeOption))
                names << name.toUtf8();
            session->pubSub()->subscribe(names);
        }
        if (app::Session *session = controller.session(id)) {
            // Each is listed; the first is open when the Queues page is.
            const QStringList queues = parser.values(queueOption);
            for (const QString &name : queues)
                session->queues()->broker()->addQueue(name.toUtf8());
            if (!queues.isEmpty())
                session->queues()->showQueue(queues.first().toUtf8());
        }
    }

    controller.window()->show();
    return QApplication::exec();
}

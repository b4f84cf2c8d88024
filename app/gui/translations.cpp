#include "translations.h"

#include <QCoreApplication>
#include <QTranslator>

namespace bd::app {

QTranslator *installTranslations(QCoreApplication *app)
{
    auto *translator = new QTranslator(app);
    if (!translator->load(QString::fromLatin1(kEnglishTranslation))
        || !app->installTranslator(translator)) {
        delete translator;
        return nullptr;
    }
    return translator;
}

} // namespace bd::app

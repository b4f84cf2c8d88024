#pragma once

class QCoreApplication;
class QTranslator;

namespace bd::app {

// The English texts' plural forms ("1 queue", "3 queues"), compiled into the resources from
// resources/translations/brokerdesk_en.ts: the source texts say "queue(s)" and show so without
// it. `make translations` adds new plural texts to the .ts file.
inline constexpr char kEnglishTranslation[] = ":/brokerdesk/i18n/brokerdesk_en.qm";

// Loads the translation into a translator owned by app and installs it; nullptr when the
// resource is missing (texts then show their "(s)" forms).
QTranslator *installTranslations(QCoreApplication *app);

} // namespace bd::app

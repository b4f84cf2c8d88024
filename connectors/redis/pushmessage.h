#pragma once

#include <QByteArray>
#include <QtGlobal>

namespace bd::connectors {

// One message a push connection (SUBSCRIBE / PSUBSCRIBE / MONITOR) received, as it came:
// bytes are never decoded here.
struct PushMessage
{
    enum class Kind : quint8 {
        Message,             // channel, payload
        PatternMessage,      // pattern, channel, payload
        Subscribed,          // channel; count = subscriptions now
        PatternSubscribed,   // pattern; count
        Unsubscribed,        // channel; count
        PatternUnsubscribed, // pattern; count
        Monitor,             // payload = the MONITOR line ("1700000000.123456 [0 127.0.0.1:1] ...")
        Error,               // payload = the server's error (NOPERM for a denied channel, ...)
    };

    Kind kind = Kind::Message;
    qint64 receivedMs = 0; // ms since the epoch, when the bytes were read
    qint64 count = 0;
    QByteArray pattern;
    QByteArray channel;
    QByteArray payload;
};

} // namespace bd::connectors

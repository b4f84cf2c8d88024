#pragma once

#include <QByteArray>

namespace bd::connectors {

// zlib (RFC 1950) or gzip (RFC 1952) data, by its header.
bool looksCompressed(const QByteArray &bytes);
// Inflates zlib or gzip data, up to maxOutput bytes. complete: the stream ended properly (a
// preview cut short inflates as far as it goes). Empty on data that is not a valid stream.
QByteArray inflate(const QByteArray &bytes, qint64 maxOutput, bool *complete);

} // namespace bd::connectors

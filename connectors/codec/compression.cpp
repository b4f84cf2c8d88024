#include "compression.h"

#include <zlib.h>

namespace bd::connectors {

bool looksCompressed(const QByteArray &bytes)
{
    if (bytes.size() < 3)
        return false;
    const auto b0 = static_cast<unsigned char>(bytes[0]);
    const auto b1 = static_cast<unsigned char>(bytes[1]);
    if (b0 == 0x1f && b1 == 0x8b)
        return true; // gzip
    // zlib: deflate (CM 8), window <= 32K, and the header check (CMF*256 + FLG) % 31 == 0.
    return (b0 & 0x0f) == 8 && (b0 >> 4) <= 7 && ((b0 << 8) | b1) % 31 == 0;
}

QByteArray inflate(const QByteArray &bytes, qint64 maxOutput, bool *complete)
{
    *complete = false;
    z_stream stream{};
    // 15 + 32: a zlib or a gzip header, detected by zlib itself.
    if (inflateInit2(&stream, 15 + 32) != Z_OK)
        return {};
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.constData()));
    stream.avail_in = static_cast<uInt>(bytes.size());
    QByteArray out;
    int rc = Z_OK;
    char buffer[64 * 1024];
    while (rc == Z_OK && out.size() < maxOutput) {
        stream.next_out = reinterpret_cast<Bytef *>(buffer);
        stream.avail_out = sizeof buffer;
        rc = ::inflate(&stream, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
            break;
        out.append(buffer, qsizetype(sizeof buffer - stream.avail_out));
        if (rc == Z_BUF_ERROR || (stream.avail_in == 0 && rc != Z_STREAM_END))
            break; // the input ended before the stream did (a preview)
    }
    *complete = rc == Z_STREAM_END;
    const bool failed = rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR;
    inflateEnd(&stream);
    if (failed && out.isEmpty())
        return {};
    return out.left(maxOutput);
}

} // namespace bd::connectors

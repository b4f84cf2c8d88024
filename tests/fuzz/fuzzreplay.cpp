// Runs a libFuzzer target without libFuzzer (for compilers that have none, such as the gcc CI
// build): the hostile seeds (hostileseeds.h), every file of the seed corpus, then
// deterministic mutations of the corpus. It finds less than a real fuzzing run (`make fuzz`)
// but keeps the harness and the decoder honest on every `make test`.
//   fuzz_X_replay CORPUS_DIR ITERATIONS
//   fuzz_X_replay --write-seeds DIR      writes the hostile seeds as files, for libFuzzer
#include "hostileseeds.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>

#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() == 3 && args[1] == QLatin1String("--write-seeds")) {
        QDir().mkpath(args[2]);
        for (const auto &[name, bytes] : bd::fuzz::hostileSeeds()) {
            QFile f(QDir(args[2]).filePath(QString::fromLatin1(name)));
            if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
                return 1;
        }
        return 0;
    }
    if (args.size() < 3) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR ITERATIONS\n", qPrintable(args.value(0)));
        return 2;
    }
    QList<QByteArray> seeds;
    for (const QFileInfo &info : QDir(args[1]).entryInfoList(QDir::Files)) {
        QFile f(info.filePath());
        if (f.open(QIODevice::ReadOnly))
            seeds << f.readAll();
    }
    if (seeds.isEmpty()) {
        std::fprintf(stderr, "no seeds in %s\n", qPrintable(args[1]));
        return 2;
    }
    // Once each, never mutated: spliced into one another they would make inputs of hundreds of MB.
    const auto hostileSeeds = bd::fuzz::hostileSeeds(); // made once: about 20 MB
    for (const auto &hostile : hostileSeeds)
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(hostile.second.constData()),
                               size_t(hostile.second.size()));
    for (const QByteArray &seed : seeds)
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(seed.constData()),
                               size_t(seed.size()));

    QRandomGenerator rng(20261122); // fixed: a failure reproduces
    const int iterations = args[2].toInt();
    for (int i = 0; i < iterations; ++i) {
        QByteArray input = seeds[int(rng.bounded(seeds.size()))];
        const int edits = 1 + int(rng.bounded(8));
        for (int e = 0; e < edits; ++e) {
            const int pos = input.isEmpty() ? 0 : int(rng.bounded(input.size()));
            switch (rng.bounded(5)) {
            case 0: // flip a byte
                if (!input.isEmpty())
                    input[pos] = char(rng.bounded(256));
                break;
            case 1: // insert a byte that means something to RESP, JSON or MessagePack
                input.insert(pos, "+-:$*\r\n0123456789[]{}\",e.\\\x91\xdd"[rng.bounded(28)]);
                break;
            case 2: // delete a run
                input.remove(pos, int(rng.bounded(4)));
                break;
            case 3: // splice another seed in
                input.insert(pos, seeds[int(rng.bounded(seeds.size()))]);
                break;
            default: // a big or negative length
                input.insert(pos, rng.bounded(2) ? QByteArray("$2147483647\r\n")
                                                 : QByteArray("*-5\r\n"));
                break;
            }
        }
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.constData()),
                               size_t(input.size()));
    }
    std::printf("%lld hostile seeds, %lld seeds, %d mutated inputs: no crash\n",
                static_cast<long long>(hostileSeeds.size()), static_cast<long long>(seeds.size()),
                iterations);
    return 0;
}

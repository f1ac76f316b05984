/* FAISS's IndexBinaryMultiHash behind three C functions, so that bench_mih
 * (C) can run it side by side with gn_mih. Built only by `make bench`, and
 * only where Debian's libfaiss-dev is installed (scripts/install-deps.sh).
 * The configuration is the one Meta's HMA uses for PDQ: 16 maps of 16 bits,
 * one bit flipped per map (exact at distance 31 by pigeonhole). */
#include <faiss/IndexBinaryHash.h>
#include <faiss/impl/AuxIndexStructures.h>
#include <omp.h>

#include <cstdint>
#include <cstring>

extern "C" {

void *faiss_bank_new(const void *hashes, size_t n);
size_t faiss_bank_range(void *bank, const void *query, int max_distance, uint32_t *ids,
                        int *distances, size_t cap);
size_t faiss_bank_bytes(const void *bank);
void faiss_bank_free(void *bank);

/* One thread: the figures are per core. */
void *faiss_bank_new(const void *hashes, size_t n)
{
    omp_set_num_threads(1);
    auto *index = new faiss::IndexBinaryMultiHash(256, 16, 16);
    index->nflip = 1;
    index->add((faiss::Index::idx_t)n, static_cast<const uint8_t *>(hashes));
    return index;
}

/* Every stored hash within max_distance (FAISS's radius is strict, hence +1);
 * at most cap are copied, the count is returned. */
size_t faiss_bank_range(void *bank, const void *query, int max_distance, uint32_t *ids,
                        int *distances, size_t cap)
{
    auto *index = static_cast<faiss::IndexBinaryMultiHash *>(bank);
    faiss::RangeSearchResult res(1);
    index->range_search(1, static_cast<const uint8_t *>(query), max_distance + 1, &res);
    size_t count = res.lims[1] - res.lims[0];
    for (size_t i = 0; i < count && i < cap; i++) {
        ids[i] = (uint32_t)res.labels[res.lims[0] + i];
        distances[i] = (int)res.distances[res.lims[0] + i];
    }
    return count;
}

/* What its structures hold: the stored codes, and per map its bucket array,
 * one node per key (key, vector, next pointer, cached hash) and the ids'
 * vectors as allocated. Allocator overhead is not counted. */
size_t faiss_bank_bytes(const void *bank)
{
    auto *index = static_cast<const faiss::IndexBinaryMultiHash *>(bank);
    size_t bytes = index->storage->xb.capacity();
    for (const auto &map : index->maps) {
        bytes += map.bucket_count() * sizeof(void *);
        for (const auto &kv : map)
            bytes += sizeof(kv) + 2 * sizeof(void *) + kv.second.capacity() * sizeof(kv.second[0]);
    }
    return bytes;
}

void faiss_bank_free(void *bank)
{
    delete static_cast<faiss::IndexBinaryMultiHash *>(bank);
}
}

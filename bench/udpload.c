/*
 * UDP tracker load generator (BEP 15) for bench/compare.sh: connect, then announces that vary
 * info_hash, peer_id, port and left, from many sockets at once, for a fixed time.
 *
 *   gcc -O2 -o udpload bench/udpload.c
 *   ./udpload HOST PORT SECONDS HASHES [SOCKETS]
 *
 * HASHES is the file of 40-hex-digit info hashes that bench/announce.lua reads (and opentracker's
 * whitelist). Each of SOCKETS (default 64) sockets keeps one request in flight: it connects, then
 * announces until the time is up, connecting again every 50 s or after an error reply. A request
 * without an answer within 1 s counts as lost and the socket goes on. Every reply is checked:
 * action, transaction id, length. Prints one line starting with "udpload:" with the counts and the
 * rate of successful announces; exits 1 when any reply was not a successful announce.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SOCKETS 1024
#define MAX_HASHES 1000000

static unsigned char (*hashes)[20];
static long hash_count;

struct client {
    int fd;
    uint32_t tid;
    uint64_t cid;
    int connected;
    double sent_at;
    double connected_at;
    int waiting;
};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void put32(unsigned char *p, uint32_t v) { v = htonl(v); memcpy(p, &v, 4); }
static void put64(unsigned char *p, uint64_t v) { put32(p, (uint32_t) (v >> 32)); put32(p + 4, (uint32_t) v); }
static uint32_t get32(const unsigned char *p) { uint32_t v; memcpy(&v, p, 4); return ntohl(v); }
static uint64_t get64(const unsigned char *p) { return ((uint64_t) get32(p) << 32) | get32(p + 4); }

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void load_hashes(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(2); }
    hashes = malloc(sizeof(*hashes) * MAX_HASHES);
    char line[256];
    while (fgets(line, sizeof line, f) && hash_count < MAX_HASHES) {
        int ok = 1;
        for (int i = 0; i < 20 && ok; i++) {
            int hi = hexval(line[2 * i]), lo = hexval(line[2 * i + 1]);
            if (hi < 0 || lo < 0) ok = 0; else hashes[hash_count][i] = (unsigned char) (hi << 4 | lo);
        }
        if (ok) hash_count++;
    }
    fclose(f);
    if (hash_count == 0) { fprintf(stderr, "udpload: no info hashes in %s\n", path); exit(2); }
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: udpload HOST PORT SECONDS HASHES [SOCKETS]\n");
        return 2;
    }
    const char *host = argv[1];
    int port = atoi(argv[2]);
    double seconds = atof(argv[3]);
    load_hashes(argv[4]);
    int sockets = argc > 5 ? atoi(argv[5]) : 64;
    if (sockets < 1 || sockets > MAX_SOCKETS) { fprintf(stderr, "udpload: 1..%d sockets\n", MAX_SOCKETS); return 2; }

    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
    if (inet_pton(AF_INET, host, &to.sin_addr) != 1) { fprintf(stderr, "udpload: %s is not an IPv4 address\n", host); return 2; }

    static struct client c[MAX_SOCKETS];
    static struct pollfd pfd[MAX_SOCKETS];
    for (int i = 0; i < sockets; i++) {
        c[i].fd = socket(AF_INET, SOCK_DGRAM, 0);
        if (c[i].fd < 0 || connect(c[i].fd, (struct sockaddr *) &to, sizeof to) < 0) { perror("socket"); return 2; }
        pfd[i].fd = c[i].fd;
        pfd[i].events = POLLIN;
    }

    long n = 0, ok = 0, errors = 0, lost = 0, bad = 0, connects = 0;
    unsigned seed = (unsigned) getpid();
    unsigned char out[128], in[2048];
    char first_error[200] = "";
    double start = now(), end = start + seconds;

    for (;;) {
        double t = now();
        if (t >= end) break;
        for (int i = 0; i < sockets; i++) {
            struct client *k = &c[i];
            if (k->waiting && t - k->sent_at > 1.0) { lost++; k->waiting = 0; k->connected = 0; }
            if (k->waiting) continue;
            k->tid = rand_r(&seed);
            if (!k->connected || t - k->connected_at > 50) {
                put64(out, 0x41727101980ULL); put32(out + 8, 0); put32(out + 12, k->tid);
                k->connected = 0;
                if (send(k->fd, out, 16, 0) == 16) { k->waiting = 1; k->sent_at = t; }
            } else {
                long i_req = n++;
                long swarm = (i_req * 7919 + i * 4999) % hash_count;
                long pass = i_req / hash_count;
                put64(out, k->cid); put32(out + 8, 1); put32(out + 12, k->tid);
                memcpy(out + 16, hashes[swarm], 20);
                char peer[21];
                snprintf(peer, sizeof peer, "-UL0001-%04d%08ld", i % 10000, i_req % 100000000);
                memcpy(out + 36, peer, 20);
                put64(out + 56, 0);                                         /* downloaded */
                put64(out + 64, ((i_req + pass) % 4 == 0) ? 0 : 1048576);  /* left: a quarter seed */
                put64(out + 72, 0);                                         /* uploaded */
                put32(out + 80, 0); put32(out + 84, 0); put32(out + 88, (uint32_t) i_req);
                put32(out + 92, 50);                                        /* numwant */
                uint16_t p = htons((uint16_t) (1025 + (pass * 8 + i) % 64000));
                memcpy(out + 96, &p, 2);
                if (send(k->fd, out, 98, 0) == 98) { k->waiting = 1; k->sent_at = t; }
            }
        }
        int ready = poll(pfd, sockets, 100);
        if (ready <= 0) continue;
        for (int i = 0; i < sockets; i++) {
            if (!(pfd[i].revents & POLLIN)) continue;
            struct client *k = &c[i];
            ssize_t r = recv(k->fd, in, sizeof in, 0);
            if (r < 8 || !k->waiting || get32(in + 4) != k->tid) { if (r >= 0) bad++; continue; }
            k->waiting = 0;
            uint32_t action = get32(in);
            if (action == 0 && r >= 16) {
                k->cid = get64(in + 8); k->connected = 1; k->connected_at = now(); connects++;
            } else if (action == 1 && r >= 20 && (r - 20) % 6 == 0) {
                ok++;
            } else if (action == 3) {
                errors++; k->connected = 0;
                if (!first_error[0]) snprintf(first_error, sizeof first_error, "%.*s", (int) (r - 8), in + 8);
            } else {
                bad++;
            }
        }
    }
    double elapsed = now() - start;
    printf("udpload: requests=%ld ok=%ld errors=%ld lost=%ld bad=%ld connects=%ld rate=%.1f/s%s%s\n",
           n, ok, errors, lost, bad, connects, ok / elapsed, first_error[0] ? " first_error=" : "", first_error);
    return (errors || bad) ? 1 : 0;
}

/* Where a scan was: each country's centroid (latitude, longitude in degrees,
 * rounded), so two scans' distance is known from their countries alone. A
 * centroid is far from a country's borders, which is why the clone rules
 * compare only scans of different orders and never count a distance under
 * codes.travel_min_km (neighbours). Data, not code: a row per country. */
#include <math.h>
#include <string.h>

#include "codes/codes.h"

static const struct {
    char code[3];
    float lat, lon;
} centroids[] = {
    {"AD", 42.5f, 1.6f},    {"AE", 24.0f, 54.0f},   {"AF", 33.9f, 67.7f},   {"AL", 41.2f, 20.2f},
    {"AM", 40.1f, 45.0f},   {"AO", -11.2f, 17.9f},  {"AR", -38.4f, -63.6f}, {"AT", 47.5f, 14.6f},
    {"AU", -25.3f, 133.8f}, {"AZ", 40.1f, 47.6f},   {"BA", 43.9f, 17.7f},   {"BD", 23.7f, 90.4f},
    {"BE", 50.5f, 4.5f},    {"BG", 42.7f, 25.5f},   {"BH", 26.0f, 50.6f},   {"BO", -16.3f, -63.6f},
    {"BR", -14.2f, -51.9f}, {"BY", 53.7f, 28.0f},   {"CA", 56.1f, -106.3f}, {"CH", 46.8f, 8.2f},
    {"CI", 7.5f, -5.5f},    {"CL", -35.7f, -71.5f}, {"CM", 7.4f, 12.4f},    {"CN", 35.9f, 104.2f},
    {"CO", 4.6f, -74.3f},   {"CR", 9.7f, -83.8f},   {"CU", 21.5f, -77.8f},  {"CY", 35.1f, 33.4f},
    {"CZ", 49.8f, 15.5f},   {"DE", 51.2f, 10.5f},   {"DK", 56.3f, 9.5f},    {"DO", 18.7f, -70.2f},
    {"DZ", 28.0f, 1.7f},    {"EC", -1.8f, -78.2f},  {"EE", 58.6f, 25.0f},   {"EG", 26.8f, 30.8f},
    {"ES", 40.5f, -3.7f},   {"ET", 9.1f, 40.5f},    {"FI", 61.9f, 25.7f},   {"FR", 46.2f, 2.2f},
    {"GB", 55.4f, -3.4f},   {"GE", 42.3f, 43.4f},   {"GH", 7.9f, -1.0f},    {"GR", 39.1f, 21.8f},
    {"GT", 15.8f, -90.2f},  {"HK", 22.3f, 114.2f},  {"HN", 15.2f, -86.2f},  {"HR", 45.1f, 15.2f},
    {"HU", 47.2f, 19.5f},   {"ID", -0.8f, 113.9f},  {"IE", 53.4f, -8.2f},   {"IL", 31.0f, 34.9f},
    {"IN", 20.6f, 79.0f},   {"IQ", 33.2f, 43.7f},   {"IR", 32.4f, 53.7f},   {"IS", 65.0f, -19.0f},
    {"IT", 41.9f, 12.6f},   {"JM", 18.1f, -77.3f},  {"JO", 30.6f, 36.2f},   {"JP", 36.2f, 138.3f},
    {"KE", 0.0f, 37.9f},    {"KG", 41.2f, 74.8f},   {"KH", 12.6f, 105.0f},  {"KR", 35.9f, 127.8f},
    {"KW", 29.3f, 47.5f},   {"KZ", 48.0f, 66.9f},   {"LA", 19.9f, 102.5f},  {"LB", 33.9f, 35.9f},
    {"LK", 7.9f, 80.8f},    {"LT", 55.2f, 23.9f},   {"LU", 49.8f, 6.1f},    {"LV", 56.9f, 24.6f},
    {"LY", 26.3f, 17.2f},   {"MA", 31.8f, -7.1f},   {"MD", 47.4f, 28.4f},   {"ME", 42.7f, 19.4f},
    {"MK", 41.6f, 21.7f},   {"MM", 21.9f, 96.0f},   {"MN", 46.9f, 103.8f},  {"MO", 22.2f, 113.5f},
    {"MT", 35.9f, 14.4f},   {"MX", 23.6f, -102.6f}, {"MY", 4.2f, 102.0f},   {"NG", 9.1f, 8.7f},
    {"NI", 12.9f, -85.2f},  {"NL", 52.1f, 5.3f},    {"NO", 60.5f, 8.5f},    {"NP", 28.4f, 84.1f},
    {"NZ", -40.9f, 174.9f}, {"OM", 21.5f, 55.9f},   {"PA", 8.5f, -80.8f},   {"PE", -9.2f, -75.0f},
    {"PH", 12.9f, 121.8f},  {"PK", 30.4f, 69.3f},   {"PL", 51.9f, 19.1f},   {"PR", 18.2f, -66.6f},
    {"PT", 39.4f, -8.2f},   {"PY", -23.4f, -58.4f}, {"QA", 25.4f, 51.2f},   {"RO", 45.9f, 25.0f},
    {"RS", 44.0f, 21.0f},   {"RU", 61.5f, 105.3f},  {"SA", 23.9f, 45.1f},   {"SD", 12.9f, 30.2f},
    {"SE", 60.1f, 18.6f},   {"SG", 1.35f, 103.8f},  {"SI", 46.2f, 15.0f},   {"SK", 48.7f, 19.7f},
    {"SN", 14.5f, -14.5f},  {"SV", 13.8f, -88.9f},  {"SY", 34.8f, 39.0f},   {"TH", 15.9f, 101.0f},
    {"TN", 33.9f, 9.5f},    {"TR", 39.0f, 35.2f},   {"TW", 23.7f, 121.0f},  {"TZ", -6.4f, 34.9f},
    {"UA", 48.4f, 31.2f},   {"UG", 1.4f, 32.3f},    {"US", 37.1f, -95.7f},  {"UY", -32.5f, -55.8f},
    {"UZ", 41.4f, 64.6f},   {"VE", 6.4f, -66.6f},   {"VN", 14.1f, 108.3f},  {"YE", 15.6f, 48.5f},
    {"ZA", -30.6f, 22.9f},  {"ZM", -13.1f, 27.8f},  {"ZW", -19.0f, 29.2f},
};
#define N_CENTROIDS (sizeof centroids / sizeof *centroids)

/* The rows are in code order: a binary search. */
static int find(const char *country)
{
    if (!country || strlen(country) != 2) return -1;
    size_t lo = 0, hi = N_CENTROIDS;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(centroids[mid].code, country);
        if (c == 0) return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

int gn_country_known(const char *country)
{
    return find(country) >= 0;
}

/* Great-circle distance (haversine) on a sphere of the Earth's mean radius. */
double gn_country_distance_km(const char *a, const char *b)
{
    int i = find(a), j = find(b);
    if (i < 0 || j < 0) return -1;
    const double rad = M_PI / 180.0;
    double lat1 = centroids[i].lat * rad, lat2 = centroids[j].lat * rad;
    double dlat = lat2 - lat1, dlon = (centroids[j].lon - centroids[i].lon) * rad;
    double h =
        sin(dlat / 2) * sin(dlat / 2) + cos(lat1) * cos(lat2) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * 6371.0 * asin(sqrt(h < 1 ? h : 1));
}

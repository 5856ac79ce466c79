/* drift_report.c: drift's results as a person reads them, as JSON, and as a JUnit file for CI. */
#include "drift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void xml_escape(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
                fputc(*s, f);
        }
    }
}

static const char *label(const struct drift_result *r, char *buf, size_t n)
{
    if (*r->op)
        return r->op;
    snprintf(buf, n, "%s %s", r->method, r->path);
    return buf;
}

int drift_write_junit(const char *file, const struct drift_result *res, int n, int drifted)
{
    FILE *f = fopen(file, "w");
    if (!f)
        return -1;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    fprintf(f, "<testsuite name=\"refold-mock drift\" tests=\"%d\" failures=\"%d\">\n", n, drifted);
    for (int i = 0; i < n; i++) {
        char buf[300], name[400];
        snprintf(name, sizeof name, "%06ld %s", res[i].seq, label(&res[i], buf, sizeof buf));
        fputs("  <testcase classname=\"drift\" name=\"", f);
        xml_escape(f, name);
        fputs("\">", f);
        if (cJSON_GetArraySize(res[i].diffs)) {
            fputs("<failure message=\"", f);
            xml_escape(f, cJSON_GetArrayItem(res[i].diffs, 0)->valuestring);
            fputs("\">", f);
            const cJSON *d;
            cJSON_ArrayForEach(d, res[i].diffs) {
                xml_escape(f, d->valuestring);
                fputc('\n', f);
            }
            fputs("</failure>", f);
        }
        fputs("</testcase>\n", f);
    }
    fprintf(f, "</testsuite>\n</testsuites>\n");
    return fclose(f);
}

void drift_print_text(const struct drift_result *res, int n, int drifted, const char *dir)
{
    /* per operation, in the order first seen: how many matched, how many differ, and what */
    int *done = calloc((size_t)n + 1, sizeof *done);
    for (int i = 0; i < n; i++) {
        if (done[i])
            continue;
        char a[300], b[300];
        const char *op = label(&res[i], a, sizeof a);
        int match = 0, differ = 0;
        for (int j = i; j < n; j++)
            if (!done[j] && !strcmp(label(&res[j], b, sizeof b), op)) {
                if (cJSON_GetArraySize(res[j].diffs))
                    differ++;
                else
                    match++;
            }
        printf("%-7s %-44s %d matches, %d differ\n", differ ? "DRIFT" : "ok", op, match, differ);
        for (int j = i; j < n; j++) {
            if (done[j] || strcmp(label(&res[j], b, sizeof b), op))
                continue;
            done[j] = 1;
            const cJSON *d;
            cJSON_ArrayForEach(d, res[j].diffs) printf("          #%ld %s %s: %s\n", res[j].seq, res[j].method, res[j].path, d->valuestring);
            cJSON_ArrayForEach(d, res[j].notes) printf("          #%ld note: %s\n", res[j].seq, d->valuestring);
        }
    }
    free(done);
    printf("drift: %d exchanges of %s replayed, %d differ%s\n", n, dir, drifted, drifted ? "" : ": no drift");
}

cJSON *drift_json_report(const struct drift_result *res, int n, int drifted)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "drift", drifted > 0);
    cJSON_AddNumberToObject(o, "exchanges", n);
    cJSON_AddNumberToObject(o, "differ", drifted);
    cJSON *list = cJSON_AddArrayToObject(o, "results");
    for (int i = 0; i < n; i++) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddNumberToObject(r, "seq", (double)res[i].seq);
        if (*res[i].op)
            cJSON_AddStringToObject(r, "operation", res[i].op);
        else
            cJSON_AddNullToObject(r, "operation");
        cJSON_AddStringToObject(r, "method", res[i].method);
        cJSON_AddStringToObject(r, "path", res[i].path);
        cJSON_AddNumberToObject(r, "status_recorded", (double)res[i].want);
        cJSON_AddNumberToObject(r, "status_mock", (double)res[i].got);
        cJSON_AddBoolToObject(r, "match", !cJSON_GetArraySize(res[i].diffs));
        cJSON_AddItemToObject(r, "differences", cJSON_Duplicate(res[i].diffs, 1));
        cJSON_AddItemToObject(r, "notes", cJSON_Duplicate(res[i].notes, 1));
        cJSON_AddItemToArray(list, r);
    }
    return o;
}

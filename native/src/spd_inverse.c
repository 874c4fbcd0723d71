// binge_spd: invert a symmetric positive definite matrix in place with LAPACK (dpotrf + dpotri)
// on a libuv worker thread, so the Node event loop stays free while OpenBLAS works.
//
// JavaScript API (see native/README.md):
//   invertSpd(matrix: Float64Array, n: number): Promise<void>
//     matrix holds n*n doubles, row-major and symmetric; on success it holds the full inverse.
//     Rejects with code BINGE_SPD_NOT_POSITIVE_DEFINITE or BINGE_SPD_LAPACK_ERROR.
//   blasConfig(): { config: string, threads: number }

#include <lapacke.h>
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

extern char *openblas_get_config(void);
extern int openblas_get_num_threads(void);

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref matrix_ref; // keeps the typed array alive while the worker thread writes into it
  double *data;
  lapack_int n;
  lapack_int info;
  int stage; // 1 = dpotrf failed, 2 = dpotri failed
} InvertJob;

#define CHECK(env, call)                                                   \
  do {                                                                     \
    if ((call) != napi_ok) {                                               \
      napi_throw_error((env), "BINGE_SPD_NAPI", "N-API call failed: " #call); \
      return NULL;                                                         \
    }                                                                      \
  } while (0)

// dpotri fills one triangle; copy it to the other in tiles so both reads and writes stay in cache.
static void mirror_upper_to_lower(double *a, lapack_int n) {
  const lapack_int tile = 64;
  for (lapack_int r0 = 0; r0 < n; r0 += tile) {
    for (lapack_int c0 = r0; c0 < n; c0 += tile) {
      lapack_int r1 = r0 + tile < n ? r0 + tile : n;
      lapack_int c1 = c0 + tile < n ? c0 + tile : n;
      for (lapack_int r = r0; r < r1; r++) {
        for (lapack_int c = (c0 > r + 1 ? c0 : r + 1); c < c1; c++) {
          a[(size_t)c * n + r] = a[(size_t)r * n + c];
        }
      }
    }
  }
}

static void execute(napi_env env, void *raw) {
  (void)env;
  InvertJob *job = raw;
  // Column-major 'L' on a row-major buffer is the row-major upper triangle; for a symmetric
  // matrix the storage is the same, and column-major avoids LAPACKE's n*n transposition copy.
  job->info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', job->n, job->data, job->n);
  if (job->info != 0) {
    job->stage = 1;
    return;
  }
  job->info = LAPACKE_dpotri(LAPACK_COL_MAJOR, 'L', job->n, job->data, job->n);
  if (job->info != 0) {
    job->stage = 2;
    return;
  }
  mirror_upper_to_lower(job->data, job->n);
}

static void reject_with_code(napi_env env, napi_deferred deferred, const char *code, const char *message) {
  napi_value code_value, message_value, error;
  napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &code_value);
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &message_value);
  napi_create_error(env, code_value, message_value, &error);
  napi_reject_deferred(env, deferred, error);
}

static void complete(napi_env env, napi_status status, void *raw) {
  InvertJob *job = raw;
  char message[256];
  if (status != napi_ok) {
    reject_with_code(env, job->deferred, "BINGE_SPD_CANCELLED", "the inversion was cancelled before it ran");
  } else if (job->info == 0) {
    napi_value undefined;
    napi_get_undefined(env, &undefined);
    napi_resolve_deferred(env, job->deferred, undefined);
  } else if (job->stage == 1 && job->info > 0) {
    snprintf(message, sizeof message,
             "matrix is not positive definite: leading minor %d is not positive (increase the ridge lambda)",
             (int)job->info);
    reject_with_code(env, job->deferred, "BINGE_SPD_NOT_POSITIVE_DEFINITE", message);
  } else {
    snprintf(message, sizeof message, "LAPACK %s returned info=%d", job->stage == 1 ? "dpotrf" : "dpotri",
             (int)job->info);
    reject_with_code(env, job->deferred, "BINGE_SPD_LAPACK_ERROR", message);
  }
  napi_delete_reference(env, job->matrix_ref);
  napi_delete_async_work(env, job->work);
  free(job);
}

static napi_value invert_spd(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2) {
    napi_throw_type_error(env, "BINGE_SPD_ARGS", "invertSpd(matrix: Float64Array, n: number)");
    return NULL;
  }
  bool is_typed = false;
  CHECK(env, napi_is_typedarray(env, argv[0], &is_typed));
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  if (is_typed) CHECK(env, napi_get_typedarray_info(env, argv[0], &type, &length, &data, NULL, NULL));
  if (!is_typed || type != napi_float64_array) {
    napi_throw_type_error(env, "BINGE_SPD_ARGS", "matrix must be a Float64Array");
    return NULL;
  }
  int64_t n = 0;
  CHECK(env, napi_get_value_int64(env, argv[1], &n));
  if (n <= 0 || (uint64_t)n * (uint64_t)n != length || n > INT32_MAX) {
    napi_throw_range_error(env, "BINGE_SPD_ARGS", "matrix length must be exactly n*n with n > 0");
    return NULL;
  }

  InvertJob *job = calloc(1, sizeof *job);
  if (job == NULL) {
    napi_throw_error(env, "BINGE_SPD_NO_MEMORY", "could not allocate the job");
    return NULL;
  }
  job->data = data;
  job->n = (lapack_int)n;
  napi_value promise, resource_name;
  CHECK(env, napi_create_promise(env, &job->deferred, &promise));
  CHECK(env, napi_create_reference(env, argv[0], 1, &job->matrix_ref));
  CHECK(env, napi_create_string_utf8(env, "binge_spd.invertSpd", NAPI_AUTO_LENGTH, &resource_name));
  CHECK(env, napi_create_async_work(env, NULL, resource_name, execute, complete, job, &job->work));
  CHECK(env, napi_queue_async_work(env, job->work));
  return promise;
}

static napi_value blas_config(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result, config, threads;
  CHECK(env, napi_create_object(env, &result));
  CHECK(env, napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &config));
  CHECK(env, napi_create_int32(env, openblas_get_num_threads(), &threads));
  CHECK(env, napi_set_named_property(env, result, "config", config));
  CHECK(env, napi_set_named_property(env, result, "threads", threads));
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "invertSpd", NAPI_AUTO_LENGTH, invert_spd, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "invertSpd", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "blasConfig", NAPI_AUTO_LENGTH, blas_config, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "blasConfig", fn) != napi_ok) return NULL;
  return exports;
}

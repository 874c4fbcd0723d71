{
  "targets": [
    {
      "target_name": "binge_spd",
      "sources": ["src/spd_inverse.c"],
      "cflags": ["-O2", "-std=c11", "-Wall", "-Wextra"],
      "libraries": ["-llapacke", "-lopenblas"]
    }
  ]
}

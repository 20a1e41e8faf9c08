from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with OWASP's recommended minimum (19 MiB of memory, 2 passes, 1 lane).

    Django's defaults (100 MiB, 8 lanes) cost about 0.25 s of CPU per log-in and start 8 threads; these about
    0.03 s, so a burst of log-ins cannot starve the other pages. The algorithm name stays "argon2": hashes with
    other parameters still verify and are re-hashed with these at the next successful log-in.
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

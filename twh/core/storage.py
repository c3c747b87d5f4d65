"""Static files for production: WhiteNoise's compressed, hashed files, without source maps.

Vendored libraries end with a `sourceMappingURL` comment naming a .map file that is not shipped
(source maps are a development aid); Django's manifest storage would fail collectstatic on it.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    kept = []
    for extension, rules in patterns:
        rules = tuple(r for r in rules if "sourceMappingURL" not in str(r))
        if rules:
            kept.append((extension, rules))
    return tuple(kept)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)

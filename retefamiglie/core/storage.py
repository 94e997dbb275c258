from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files.

    Bootstrap Italia's stylesheet and scripts name a few files the npm package does
    not ship (source maps of its dependencies); a missing one must not stop
    collectstatic, it is left as written.
    """

    manifest_strict = False

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            return name

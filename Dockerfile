# One image for every Ponte process: the one-shot `migrate` and each bot process.
FROM python:3.11-slim

# On its own, a container keeps a SQLite file in its volume; compose sets PostgreSQL.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_URL=sqlite+aiosqlite:////data/ponte.db

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin ponte \
    && mkdir /data && chown ponte:ponte /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cogs ./cogs
# The migrations are read from beside the code, so the project is installed in place.
COPY migrations ./migrations
RUN pip install --editable ".[postgres]"

USER ponte
# The netiquette's curated lists compiled once, in the image (13 s), rather than at each
# container's first start; on a host whose CPU the compiled sets do not suit, Ponte
# compiles them again when it starts.
RUN python -c "from bot.config import Settings; from cogs.netiquette.engine import warm_up; warm_up(Settings().cache_folder)"
VOLUME ["/data"]
CMD ["python", "-m", "bot", "run"]

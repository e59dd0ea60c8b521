# vanban in a container: docker build -t vanban . && docker run --rm -v /archive:/in:ro -v /tables:/out vanban run /in /out
# Tesseract with its Vietnamese model (scans) and antiword (.doc) come from Debian, as on a host (scripts/install-system-deps.sh).
FROM python:3.11-slim

RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-vie antiword \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY pyproject.toml setup.py MANIFEST.in README.md ./
COPY pipeline ./pipeline
COPY rules ./rules
# a regular (not editable) install: the rule files go into the package (setup.py), the sources are dropped
RUN pip install --no-cache-dir . && rm -rf /src

# the tool reads INPUT and writes OUTPUT only: no need for root
RUN useradd --create-home --uid 1000 vanban
USER vanban
WORKDIR /home/vanban
ENTRYPOINT ["vanban"]
CMD ["--help"]

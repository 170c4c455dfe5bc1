FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY streams ./streams
COPY agents ./agents
COPY bench ./bench
RUN pip install --no-cache-dir .
# The compiled gazetteer goes into the image (a container would otherwise compile it at every start, 3 s):
# processing the sample corpus once builds and caches it.
ENV NEWSSTREAM_CACHE_DIR=/opt/newsstream/cache
RUN newsstream process streams/data/sample/articles.jsonl --output /tmp/warm.jsonl && rm -f /tmp/warm*
ENV NEWSSTREAM_DATA_DIR=/data
VOLUME ["/data"]
CMD ["newsstream", "worker"]

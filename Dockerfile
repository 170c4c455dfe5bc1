FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY streams ./streams
COPY agents ./agents
COPY bench ./bench
RUN pip install --no-cache-dir .
ENV NEWSSTREAM_DATA_DIR=/data
VOLUME ["/data"]
CMD ["newsstream", "worker"]

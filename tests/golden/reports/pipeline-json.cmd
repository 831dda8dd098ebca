pipeline --format json

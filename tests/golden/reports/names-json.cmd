clients --format json

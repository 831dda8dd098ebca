clients --sort last

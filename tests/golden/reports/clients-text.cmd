clients

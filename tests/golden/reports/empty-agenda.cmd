agenda

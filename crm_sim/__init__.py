"""crm_sim: the embedded InvoiceCloud CRM the robot drives in tests and demos."""
